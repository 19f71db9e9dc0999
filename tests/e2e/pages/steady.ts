/**
 * Acting on overlays that animate (Naive UI dialogs, modals, drawers, select menus) only once they
 * hold still, and confirming they are gone after.
 *
 * Why: Playwright calls an element "stable" when its box is the same in two animation frames. Vue
 * puts an entering overlay in its start pose (`…-enter-from`: scaled down, off to the side) and only
 * starts the transition a frame or two later; on a busy machine those frames come late, so the
 * start pose can look stable, the mouse goes down there, the overlay then grows or slides under the
 * pointer and the button is released elsewhere: no click reaches it. Vue's transition classes say
 * exactly when an element is entering or leaving, from the first frame to the last.
 */
import { errors, expect, type Locator } from '@playwright/test';

/** Vue's transition classes (`fade-in-scale-up-transition-enter-active`, `…-leave-to`, …). */
const TRANSITION_CLASS = /-(enter|leave)-(from|active|to)$/;

type Readiness = 'ready' | 'hidden' | 'moving' | 'disabled';

/**
 * Where `element` stands, in one round trip to the page (each one costs on a busy machine): shown,
 * clear of any entering or leaving ancestor, and not disabled.
 */
function readiness(element: Element, pattern: RegExp): Readiness {
  const box = element.getBoundingClientRect();
  if (!element.isConnected || box.width === 0 || box.height === 0 || getComputedStyle(element).visibility === 'hidden') return 'hidden';
  for (let node: Element | null = element; node; node = node.parentElement) {
    for (const name of node.classList) if (pattern.test(name)) return 'moving';
  }
  const disabled = element.closest('[disabled], [aria-disabled="true"], .n-base-select-option--disabled, .n-checkbox--disabled');
  return disabled ? 'disabled' : 'ready';
}

/** Wait until `target` is one of `wanted` (polled; an element not there yet counts as hidden). */
async function until(target: Locator, wanted: RegExp): Promise<void> {
  const now = (): Promise<Readiness> =>
    target.evaluate(readiness, TRANSITION_CLASS, { timeout: 2_000 }).catch((error: unknown) => {
      if (error instanceof errors.TimeoutError) return 'hidden';
      throw error; // two elements where one is meant, a closed page: said as it is
    });
  await expect
    .poll(now, { message: `${target} is shown, holds still (nothing entering or leaving around it) and enabled` })
    .toMatch(wanted);
}

/** Wait until `target` is shown and nothing around it is entering or leaving. */
export async function untilSteady(target: Locator): Promise<void> {
  await until(target, /^(ready|disabled)$/);
}

/** Click `target` once it is shown, enabled and holding still. */
export async function clickSteady(target: Locator): Promise<void> {
  await until(target, /^ready$/);
  await target.click();
}

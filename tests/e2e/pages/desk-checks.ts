/**
 * What an administrator at a 1366×768 or 1280×720 screen would see go wrong, as checks: anything
 * that scrolls sideways (the page or a box inside it) and what axe-core reports as serious or
 * critical. Both answer lists of readable findings, so a failure names the element.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';

export const DESK_SIZES = [
  { width: 1366, height: 768 },
  { width: 1280, height: 720 },
] as const;

/**
 * Boxes wider than what they show: the page itself, and every element that could scroll sideways
 * (overflow-x auto/scroll) whose content is wider than it. Elements that clip on purpose (ellipsis,
 * overflow hidden) are not scrollbars and are not reported.
 */
export async function sidewaysScroll(page: Page): Promise<string[]> {
  return await page.evaluate(() => {
    const found: string[] = [];
    const root = document.documentElement;
    if (root.scrollWidth > root.clientWidth + 1) found.push(`page: ${root.scrollWidth} > ${root.clientWidth}`);
    for (const element of document.querySelectorAll<HTMLElement>('body *')) {
      const style = getComputedStyle(element);
      if (!['auto', 'scroll'].includes(style.overflowX)) continue;
      if (element.getClientRects().length === 0) continue;
      if (element.scrollWidth > element.clientWidth + 1) {
        const name = element.getAttribute('data-testid') ?? element.className.toString().split(' ').slice(0, 2).join('.');
        found.push(`${element.tagName.toLowerCase()}.${name}: ${element.scrollWidth} > ${element.clientWidth}`);
      }
    }
    return found;
  });
}

/** Elements that stick out of the window on the right (cut off, with no way to scroll to them). */
export async function cutOnTheRight(page: Page, selector: string): Promise<string[]> {
  return await page.evaluate((selector) => {
    const width = document.documentElement.clientWidth;
    return [...document.querySelectorAll<HTMLElement>(selector)]
      .filter((e) => e.getClientRects().length > 0 && e.getBoundingClientRect().right > width + 1)
      .map((e) => `${e.getAttribute('data-testid') ?? e.tagName}: right ${Math.round(e.getBoundingClientRect().right)} > ${width}`);
  }, selector);
}

/**
 * The axe rules whose outcome depends on the words on screen: names, labels, titles, alternative
 * texts and the page's language. A second language changes nothing else (structure, roles, contrast,
 * landmarks are the same components), so its pass runs these alone.
 */
const TEXT_RULES = [
  'area-alt',
  'aria-command-name',
  'aria-dialog-name',
  'aria-input-field-name',
  'aria-meter-name',
  'aria-progressbar-name',
  'aria-toggle-field-name',
  'aria-tooltip-name',
  'aria-treeitem-name',
  'button-name',
  'document-title',
  'empty-heading',
  'empty-table-header',
  'frame-title',
  'html-has-lang',
  'html-lang-valid',
  'image-alt',
  'input-button-name',
  'input-image-alt',
  'label',
  'link-name',
  'role-img-alt',
  'select-name',
  'summary-name',
  'svg-img-alt',
  'valid-lang',
];

/**
 * axe-core's serious and critical findings on the page as it is: every WCAG 2.1 A/AA rule and best
 * practice, or (`words`) only the rules about the words on screen, for a screen already checked whole
 * in the other language.
 */
export async function seriousA11yFindings(page: Page, rules: 'all' | 'words' = 'all'): Promise<string[]> {
  // The app has no frames, so axe runs in the page itself (legacy mode): the default opens a blank page
  // per check to merge frames' results. Only violations are gathered, not passes. Together they halve
  // each check's time (~1.9 s → ~0.85 s on two cores, 42 checks in the accessibility file).
  const axe = new AxeBuilder({ page }).setLegacyMode(true).options({ resultTypes: ['violations'] });
  const results = await (
    rules === 'words' ? axe.withRules(TEXT_RULES) : axe.withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
  ).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) =>
      v.nodes.map((n) => `${v.id} (${v.impact}): ${n.target.join(' ')} — ${n.failureSummary?.split('\n')[1]?.trim() ?? v.help}`),
    );
}

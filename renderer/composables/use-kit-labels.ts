import { onBeforeUnmount, onMounted, watch } from 'vue';
import { useI18n } from 'vue-i18n';
import { repairKitAccessibility } from './kit-a11y';

/** The kit's ✕ buttons (dialogs, the wizard, drawers, alerts). */
const CLOSE = '.n-base-close';
/** Text fields of the kit, which a form item's label does not name on its own. */
const FIELD = 'input.n-input__input-el, textarea.n-input__textarea-el';

let ids = 0;

/**
 * Accessible names the UI kit leaves out, in the UI language:
 * - Naive UI labels its ✕ buttons `aria-label="close"` in every language (its locale has no entry
 *   for it), so the label is set here on every ✕ that appears and again when the language changes.
 *   Vue keeps it: the kit's own value never changes, so patching never writes it back.
 * - A form item's label is not tied to its field (no `for`), so a screen reader would say only the
 *   placeholder, or nothing. Each field without a name of its own gets `aria-labelledby` pointing at
 *   its form item's label, which follows the language by itself.
 */
export function useKitLabels(): void {
  const { t, locale } = useI18n();
  const labelCloses = (root: ParentNode) => {
    for (const button of root.querySelectorAll<HTMLElement>(CLOSE)) button.setAttribute('aria-label', t('common.close'));
  };
  const tieFormLabels = () => {
    for (const item of document.querySelectorAll<HTMLElement>('.n-form-item')) {
      const label = item.querySelector<HTMLElement>(':scope > .n-form-item-label');
      if (!label?.textContent?.trim()) continue;
      label.id ||= `kit-label-${++ids}`;
      for (const field of item.querySelectorAll<HTMLElement>(FIELD)) {
        if (!field.hasAttribute('aria-label') && !field.hasAttribute('aria-labelledby')) field.setAttribute('aria-labelledby', label.id);
      }
    }
  };
  let pending = false;
  const observer = new MutationObserver((records) => {
    for (const record of records) {
      for (const node of record.addedNodes) {
        if (!(node instanceof HTMLElement)) continue;
        if (node.matches(CLOSE)) node.setAttribute('aria-label', t('common.close'));
        else labelCloses(node);
      }
    }
    // Form fields: once per frame at most, whatever the number of changes.
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      tieFormLabels();
      repairKitAccessibility();
    });
  });
  onMounted(() => {
    labelCloses(document.body);
    tieFormLabels();
    repairKitAccessibility();
    // Attributes too: a dialog that opens toggles classes and roles without adding nodes.
    observer.observe(document.body, { childList: true, subtree: true, attributes: true, attributeFilter: ['role', 'class'] });
  });
  watch(locale, () => labelCloses(document.body));
  onBeforeUnmount(() => observer.disconnect());
}

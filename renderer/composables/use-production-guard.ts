import { useDialog } from 'naive-ui';
import { useI18n } from 'vue-i18n';
import { useSettingsStore } from '../stores/settings';

// The question on screen now, if any: a second click (or Enter) while it is open gets the same
// answer instead of a second dialog stacked on the first.
let pending: Promise<boolean> | null = null;

/**
 * Every change in Produção asks first (docs/PRODUCT.md §2); in Homologação changes go straight through.
 * Resolves true when the change may proceed.
 */
export function useProductionGuard(): () => Promise<boolean> {
  const dialog = useDialog();
  const { t } = useI18n();
  const settings = useSettingsStore();
  const ask = () =>
    new Promise<boolean>((resolve) => {
      dialog.warning({
        title: t('production.title'),
        content: t('production.body'),
        positiveText: t('production.confirm'),
        negativeText: t('production.cancel'),
        positiveButtonProps: { 'data-testid': 'confirm-production' } as never,
        negativeButtonProps: { 'data-testid': 'cancel-production' } as never,
        onPositiveClick: () => resolve(true),
        onNegativeClick: () => resolve(false),
        onClose: () => resolve(false),
        onMaskClick: () => resolve(false),
      });
    });
  return () => {
    if (settings.environment !== 'producao') return Promise.resolve(true);
    pending ??= ask().finally(() => (pending = null));
    return pending;
  };
}

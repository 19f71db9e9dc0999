import { useDialog } from 'naive-ui';
import { useI18n } from 'vue-i18n';
import { useSettingsStore } from '../stores/settings';

/**
 * Every change in Produção asks first (docs/PRODUCT.md §2); in Homologação changes go straight through.
 * Resolves true when the change may proceed.
 */
export function useProductionGuard(): () => Promise<boolean> {
  const dialog = useDialog();
  const { t } = useI18n();
  const settings = useSettingsStore();
  return () =>
    settings.environment !== 'producao'
      ? Promise.resolve(true)
      : new Promise<boolean>((resolve) => {
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
}

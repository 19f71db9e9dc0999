import { h } from 'vue';
import { useI18n } from 'vue-i18n';
import { useDialog, useMessage } from 'naive-ui';
import type { CertificateRow } from '@certdesk/shared/certificate-row';
import { useErrorText } from './use-error-text';
import { useCertificatesStore } from '../stores/certificates';
import { useSettingsStore } from '../stores/settings';
import { useWorkspaceStore } from '../stores/workspace';

/**
 * Delete with a confirmation that names what the certificate still serves. In Produção the same
 * dialog then turns into the Produção confirmation (docs/PRODUCT.md §2): one dialog, never two stacked.
 */
export function useDeleteCertificate(): (cert: CertificateRow) => void {
  const dialog = useDialog();
  const message = useMessage();
  const { t } = useI18n();
  const { text: errorText } = useErrorText();
  const settings = useSettingsStore();
  const workspace = useWorkspaceStore();
  const certificates = useCertificatesStore();

  return (cert) => {
    const served = cert.links.map((l) => `${l.branch} · ${workspace.branch(l.branch)?.name ?? ''} — ${workspace.moduleName(l.module)}`);
    const remove = async (): Promise<void> => {
      try {
        await certificates.remove(cert.id);
        message.success(t('confirmDelete.done'));
      } catch (caught) {
        message.error(errorText(caught));
      }
    };
    const asking = dialog.error({
      title: t('confirmDelete.title'),
      content: () =>
        h('div', { 'data-testid': 'delete-dialog' }, [
          h('p', t('confirmDelete.body', { holder: cert.certificate.holderName, env: t(`environment.${settings.environment}`) })),
          served.length
            ? [
                h('strong', t('confirmDelete.serves')),
                h(
                  'ul',
                  served.map((s) => h('li', s)),
                ),
              ]
            : h('p', t('confirmDelete.servesNothing')),
        ]),
      positiveText: t('confirmDelete.confirm'),
      negativeText: t('confirmDelete.cancel'),
      positiveButtonProps: { 'data-testid': 'confirm-delete' } as never,
      onPositiveClick: async () => {
        if (settings.environment !== 'producao') {
          await remove();
          return true;
        }
        // The Produção step, in place: same dialog, new question and buttons.
        Object.assign(asking, {
          type: 'warning',
          title: t('production.title'),
          content: () => h('div', { 'data-testid': 'production-dialog' }, t('production.body')),
          positiveText: t('production.confirm'),
          negativeText: t('production.cancel'),
          positiveButtonProps: { 'data-testid': 'confirm-production' },
          negativeButtonProps: { 'data-testid': 'cancel-production' },
          onPositiveClick: async () => {
            await remove();
            return true;
          },
        });
        return false;
      },
    });
  };
}

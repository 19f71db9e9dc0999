import { h } from 'vue';
import { useI18n } from 'vue-i18n';
import { useDialog, useMessage } from 'naive-ui';
import type { CertificateRow } from '@certdesk/shared/certificate-row';
import { useErrorText } from './use-error-text';
import { useCertificatesStore } from '../stores/certificates';
import { useSettingsStore } from '../stores/settings';
import { useWorkspaceStore } from '../stores/workspace';

/**
 * Delete with one confirmation that names what the certificate still serves and says plainly that the
 * kept file and password go with it. In Produção that same single question carries the Produção
 * warning and its button says "Excluir de Produção" (docs/PRODUCT.md §2): never a second dialog.
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
    const production = settings.environment === 'producao';
    const env = t(`environment.${settings.environment}`);
    const remove = async (): Promise<void> => {
      try {
        await certificates.remove(cert.id);
        message.success(t('confirmDelete.done'));
      } catch (caught) {
        message.error(errorText(caught));
      }
    };
    dialog.warning({
      title: production ? t('confirmDelete.titleProduction') : t('confirmDelete.title'),
      content: () =>
        h('div', { 'data-testid': 'delete-dialog' }, [
          h('p', t('confirmDelete.body', { holder: cert.certificate.holderName, env })),
          h('p', t('confirmDelete.secrets')),
          served.length
            ? [
                h('strong', t('confirmDelete.serves')),
                h(
                  'ul',
                  served.map((s) => h('li', s)),
                ),
              ]
            : h('p', t('confirmDelete.servesNothing')),
          production ? h('p', { class: 'production', 'data-testid': 'delete-production-notice' }, t('production.body')) : null,
        ]),
      positiveText: production ? t('confirmDelete.confirmProduction') : t('confirmDelete.confirm'),
      negativeText: t('confirmDelete.cancel'),
      positiveButtonProps: { 'data-testid': 'confirm-delete', type: 'error' } as never,
      negativeButtonProps: { 'data-testid': 'cancel-delete' } as never,
      onPositiveClick: async () => {
        await remove();
        return true;
      },
    });
  };
}

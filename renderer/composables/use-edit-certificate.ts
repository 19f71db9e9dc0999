import { useMessage } from 'naive-ui';
import type { CertificateRow } from '@certdesk/shared/certificate-row';
import { api } from '../api';
import { useSettingsStore } from '../stores/settings';
import { useWizardStore } from '../stores/wizard';
import { useErrorText } from './use-error-text';

/**
 * Open the edit wizard on a list row. The list holds rows only (packages/shared/certificate-row.ts); the
 * wizard shows the full certificate, so it is read with `certificates:get` first.
 */
export function useEditCertificate(): (row: CertificateRow) => Promise<void> {
  const message = useMessage();
  const { text: errorText } = useErrorText();
  const settings = useSettingsStore();
  const wizard = useWizardStore();
  return async (row) => {
    try {
      wizard.startEdit(await api.certificatesGet({ environment: settings.environment, id: row.id }));
    } catch (caught) {
      message.error(errorText(caught));
    }
  };
}

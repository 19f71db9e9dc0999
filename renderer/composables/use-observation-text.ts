import { useI18n } from 'vue-i18n';
import type { LinkResult } from '@certdesk/shared/workspace';
import { useWorkspaceStore } from '../stores/workspace';

/** "(filial 0002: 12.345.678; certificado: 11.222.333)": the two roots in the core's rejection-213 text. */
const ROOTS = /\(filial [^:]+: ([^;]+); certificado: ([^)]+)\)/;

/**
 * An installation observation in the UI language. The core (and the cloud) send a stable code with a
 * Portuguese text for logs and the CLI; the screen translates the code, with the branch and module
 * of the result and, for rejection 213, the two CNPJ roots the text names. An unknown code (a newer
 * backend) or a text that does not name the roots is shown as sent rather than guessed.
 */
export function useObservationText(): (result: LinkResult) => string {
  const { t, te } = useI18n();
  const workspace = useWorkspaceStore();
  return (result) => {
    const observation = result.observation;
    if (!observation) return '';
    const key = `wizard.observations.${observation.code}`;
    const roots = ROOTS.exec(observation.message);
    if (!te(key) || (observation.code === 'CNPJ_ROOT_DIFFERS' && !roots)) return observation.message;
    return t(key, {
      branch: result.branch,
      module: workspace.moduleName(result.module),
      branchRoot: roots?.[1] ?? '',
      certificateRoot: roots?.[2] ?? '',
    });
  };
}

import { beforeEach, describe, expect, it } from 'vitest';
import { useCertificatesStore } from '../../renderer/stores/certificates';
import { useSettingsStore } from '../../renderer/stores/settings';
import { useWizardStore } from '../../renderer/stores/wizard';
import { useWorkspaceStore } from '../../renderer/stores/workspace';
import { settle, startHarness, type Harness, bad, pfx, PASSWORD } from './stores-harness';

let h: Harness;
beforeEach(async () => (h = await startHarness()));

async function ready() {
  await h.call('workspace:setup', { environment: 'producao', kind: 'example' });
  const settings = useSettingsStore();
  await settings.load();
  await settle();
  const workspace = useWorkspaceStore();
  await workspace.load();
  return { wizard: useWizardStore(), certificates: useCertificatesStore(), workspace };
}

describe('wizard store', () => {
  it('adds a certificate: password, branch, install, and the list learns it', async () => {
    const { wizard, certificates, workspace } = await ready();
    wizard.startAdd();
    wizard.chooseFile({ name: 'v01_default.pfx', path: pfx('v01_default.pfx') });
    await wizard.checkPassword('errada', false);
    expect(wizard.wrongPassword).toBe(true);
    await wizard.checkPassword(PASSWORD, false);
    expect(wizard.step).toBe(2);
    wizard.addBranch(workspace.status!.branches[0]!.code);
    await wizard.submit();
    expect(wizard.step).toBe(5);
    expect(wizard.results?.length).toBeGreaterThan(0);
    expect(certificates.items).toHaveLength(1);
  });

  it('keeps a failure by code', async () => {
    const { wizard } = await ready();
    wizard.startAdd();
    wizard.chooseFile({ name: 'random.bin', path: bad('random.bin') });
    await wizard.checkPassword('', false);
    expect(wizard.error?.code).toBe('NOT_PKCS12');
  });

  it('an answer that arrives after the wizard was closed does not reach the next one', async () => {
    const { wizard } = await ready();
    wizard.startAdd();
    wizard.chooseFile({ name: 'v01_default.pfx', path: pfx('v01_default.pfx') });
    const late = h.hold('pfx:inspect');
    const checking = wizard.checkPassword(PASSWORD, false);
    await late.reached;
    wizard.close();
    wizard.startAdd(); // a new wizard, at its first step
    await late.release();
    await checking;
    expect(wizard.step).toBe(0);
    expect(wizard.inspection).toBeNull();
    expect(wizard.busy).toBe(false);
  });

  it('stops a key-only file (v46) with "no certificate", and the install is refused the same way', async () => {
    const { wizard } = await ready();
    wizard.startAdd();
    wizard.chooseFile({ name: 'v46_key_only.p12', path: pfx('v46_key_only.p12') });
    await wizard.checkPassword(PASSWORD, false);
    expect(wizard.error).toBeNull();
    expect(wizard.inspection?.certificate).toBeNull();
    expect(wizard.stop).toBe('noCertificate');
    expect(wizard.step).toBe(1);
    // The core refuses it too, with the same words, if a caller skips the wizard.
    await expect(
      h.call('certificates:install', { environment: 'producao', path: pfx('v46_key_only.p12'), password: PASSWORD, selection: [] }),
    ).rejects.toMatchObject({ code: 'NO_CERTIFICATE' });
  });

  it('stops an ML-DSA key (v49) as an unsupported algorithm, not as a key mismatch', async () => {
    const { wizard } = await ready();
    wizard.startAdd();
    wizard.chooseFile({ name: 'v49_mldsa65.p12', path: pfx('v49_mldsa65.p12') });
    await wizard.checkPassword(PASSWORD, false);
    expect(wizard.inspection?.privateKey.matchesCertificate).toBeNull();
    expect(wizard.stop).toBe('unsupportedAlgorithm');
    expect(wizard.step).toBe(1);
  });
});

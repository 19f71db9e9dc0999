/**
 * What the inspector's details show for files other software writes, from the engine's real answers (no
 * hand-made inspection): every certificate in the file, an unsupported key not called a mismatch,
 * and the new warnings in both languages.
 */
import { mount } from '@vue/test-utils';
import { NAlert, NMessageProvider } from 'naive-ui';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { defineComponent, h } from 'vue';
import type { PfxInspection } from '@certdesk/shared/contract';
import CertificateDetails from '../../renderer/components/CertificateDetails.vue';
import { i18n } from '../../renderer/i18n/index';

const NOW = new Date('2026-06-01T12:00:00Z');

/** The engine's real answer for a fixture, computed in a Node child (this project is browser code: no core imports). */
async function inspectFixture(name: string): Promise<PfxInspection> {
  const args = ['--import', 'tsx', 'tests/unit/helpers/inspect-json.ts', name, NOW.toISOString()];
  const { stdout } = await promisify(execFile)('node', args, { maxBuffer: 16 << 20 });
  return JSON.parse(stdout) as PfxInspection;
}

function render(inspection: PfxInspection, locale: 'pt-BR' | 'en' = 'pt-BR') {
  i18n.global.locale.value = locale;
  const Harness = defineComponent(() => () => h(NMessageProvider, null, { default: () => h(CertificateDetails, { inspection }) }));
  return mount(Harness, { global: { plugins: [i18n] } });
}

afterEach(() => {
  i18n.global.locale.value = 'pt-BR';
});

// Each test starts a tsx child for the engine's answer: seconds on a loaded machine, not a measure.
describe('CertificateDetails — files other software writes', { timeout: 30_000 }, () => {
  it('v51: lists the other six CA certificates of the file', async () => {
    const wrapper = render(await inspectFixture('v51_seven_cas.p12'));
    const extra = wrapper.findAll('[data-testid="extra-certificate"]').map((row) => row.text());
    expect(extra).toHaveLength(6);
    expect(extra.join('\n')).toContain('AC EXEMPLO EXTRA 5');
    expect(wrapper.text()).toContain('Outros certificados no arquivo');
  });

  it('v49: an ML-DSA key is "not checked", never "does NOT match", and the warning is translated', async () => {
    const inspection = await inspectFixture('v49_mldsa65.p12');
    const pt = render(inspection);
    expect(pt.get('[data-testid="private-key"]').text()).toContain('não conferida');
    expect(pt.text()).not.toContain('NÃO corresponde');
    expect(pt.get('[data-testid="protection-warning"]').text()).toContain('algoritmo sem suporte');
    const en = render(inspection, 'en');
    expect(en.get('[data-testid="protection-warning"]').text()).toContain('unsupported algorithm');
  });

  it('v52: keys of other algorithms show their name and size', async () => {
    const wrapper = render(await inspectFixture('v52_key_algorithms.p12'));
    expect(wrapper.findAll('[data-testid="other-certificate"]')).toHaveLength(11);
    // The intermediate and root are the extra certificates, with their RSA-4096 keys.
    expect(wrapper.findAll('[data-testid="extra-certificate"]').map((row) => row.text())).toEqual([
      expect.stringContaining('RSA 4096 bits'),
      expect.stringContaining('RSA 4096 bits'),
    ]);
  });

  it('v46 (key only): a "Sem certificado" hero with the key facts, and no card that needs a certificate', async () => {
    const inspection = await inspectFixture('v46_key_only.p12');
    expect(inspection.certificate).toBeNull();
    const pt = render(inspection);
    const hero = pt.get('[data-testid="key-only-hero"]');
    expect(hero.get('[data-testid="holder-name"]').text()).toBe('Sem certificado');
    expect(hero.get('[data-testid="key-description"]').text()).toBe('RSA 2048 bits');
    expect(hero.text()).toContain('contém só a chave privada');
    expect(pt.get('[data-testid="private-key"]').text()).toBe('Presente (sem certificado para conferir)');
    // The validity, chain and fingerprints exist only for a certificate: not shown, nothing crashed.
    expect(pt.find('[data-testid="validity"]').exists()).toBe(false);
    expect(pt.find('[data-testid="subject"]').exists()).toBe(false);
    expect(pt.find('[data-testid="fingerprint-sha256"]').exists()).toBe(false);
    expect(pt.find('[data-testid="chain"]').exists()).toBe(false);
    expect(pt.text()).not.toContain('Cadeia');
    // The protection is reported as for any file, and the warning is the first one, in red.
    expect(pt.text()).toContain('Proteção');
    expect(pt.text()).toMatch(/AES/);
    const warnings = pt.findAll('[data-testid="protection-warning"]');
    expect(warnings[0]!.text()).toContain('está sem certificado');
    expect(pt.findAllComponents(NAlert)[0]!.props('type')).toBe('error');

    const en = render(inspection, 'en');
    expect(en.get('[data-testid="holder-name"]').text()).toBe('No certificate');
    expect(en.get('[data-testid="protection-warning"]').text()).toContain('has no certificate');
  });
});

import { mount } from '@vue/test-utils';
import { NMessageProvider } from 'naive-ui';
import { describe, expect, it } from 'vitest';
import { defineComponent, h } from 'vue';
import type { PfxInspection } from '@certdesk/shared/contract';
import CertificateDetails from '../../renderer/components/CertificateDetails.vue';
import { i18n } from '../../renderer/i18n/index';

const inspection: PfxInspection = {
  file: 'v41_alnum_cnpj.pfx',
  certificate: {
    commonName: 'NOVA EMPRESA ALFA LTDA:12ABC34501DE35',
    holderName: 'NOVA EMPRESA ALFA LTDA',
    type: 'e-CNPJ',
    cnpj: '12ABC34501DE35',
    cpf: null,
    responsible: { name: 'MARIA ALFA', cpf: '11144477735' },
    birthDate: null,
    issuerCommonName: 'AC EXEMPLO RFB v5',
    subject: 'CN=NOVA EMPRESA ALFA LTDA:12ABC34501DE35, O=ICP-Brasil, C=BR',
    issuer: 'CN=AC EXEMPLO RFB v5, O=ICP-Brasil, C=BR',
    serialNumber: '1003',
    notBefore: '2025-01-01T00:00:00.000Z',
    notAfter: '2045-01-01T00:00:00.000Z',
    daysRemaining: 6613,
    status: 'valid',
    policy: 'A1',
    keyAlgorithm: 'RSA',
    keySize: 2048,
    fingerprints: { sha1: 'a'.repeat(40), sha256: 'b'.repeat(64) },
    keyUsage: ['digitalSignature', 'nonRepudiation', 'keyEncipherment'],
    extendedKeyUsage: ['clientAuth', 'emailProtection'],
    email: 'maria@alfa.com.br',
  },
  otherCertificates: [],
  privateKey: { present: true, matchesCertificate: false },
  chain: [{ commonName: 'NOVA EMPRESA ALFA LTDA:12ABC34501DE35', notAfter: '2045-01-01T00:00:00.000Z', inFile: true }],
  icpBrasilRoot: null,
  protection: {
    mac: null,
    macIterations: null,
    encryption: [],
    warnings: [{ code: 'NO_MAC', message: 'O arquivo não tem MAC: a integridade do conteúdo não é verificada.' }],
  },
};

function render() {
  i18n.global.locale.value = 'pt-BR';
  const Harness = defineComponent(() => () => h(NMessageProvider, null, { default: () => h(CertificateDetails, { inspection }) }));
  return mount(Harness, { global: { plugins: [i18n] } });
}

describe('CertificateDetails', () => {
  it('formats the alphanumeric CNPJ and the responsible CPF for people', () => {
    const wrapper = render();
    expect(wrapper.get('[data-testid="holder-cnpj"]').text()).toBe('CNPJ 12.ABC.345/01DE-35');
    expect(wrapper.text()).toContain('MARIA ALFA · CPF 111.444.777-35');
    expect(wrapper.text()).toContain('RSA 2048 bits');
  });

  it('says when the key does not match and shows protection warnings', () => {
    const wrapper = render();
    expect(wrapper.text()).toContain('Presente, mas NÃO corresponde ao certificado');
    expect(wrapper.get('[data-testid="protection-warning"]').text()).toContain('não tem MAC');
    expect(wrapper.text()).toContain('Sem MAC');
  });

  it('shows validity in Brazilian dates', () => {
    expect(render().get('[data-testid="validity"]').text()).toContain('01/01/2025 a 01/01/2045');
  });
});

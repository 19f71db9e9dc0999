/**
 * One wording for errors on screen (renderer/composables/use-error-text.ts): the code translated
 * into the UI's language, the core's Portuguese message as detail in pt-BR only. Checked on the
 * ErrorNotice and on a real toast — the edit action asking a real core for a certificate it does
 * not have (NOT_FOUND, worded by the core in Portuguese).
 */
import { mount } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defineComponent, h as render } from 'vue';
import { NMessageProvider } from 'naive-ui';
import type { CertificateRow } from '@certdesk/shared/certificate-row';
import ErrorNotice from '../../renderer/components/ErrorNotice.vue';
import { useEditCertificate } from '../../renderer/composables/use-edit-certificate';
import { i18n } from '../../renderer/i18n/index';
import { settle, startHarness } from './stores-harness';

const CORE_SAYS = 'Certificado não encontrado neste ambiente (pode ter sido excluído).';
const TITLE = { 'pt-BR': 'Não encontrado (pode ter sido excluído).', en: 'Not found (it may have been deleted).' } as const;

let wrapper: ReturnType<typeof mount> | null = null;
beforeEach(async () => void (await startHarness()));
afterEach(() => {
  wrapper?.unmount();
  wrapper = null;
  document.body.innerHTML = '';
});

/** The toast text once it shows (Naive UI renders messages into document.body). */
async function toastText(): Promise<string> {
  for (let i = 0; i < 500; i++) {
    await settle();
    const text = document.querySelector('.n-message__content')?.textContent;
    if (text) return text;
  }
  throw new Error('no toast');
}

describe('error wording', () => {
  for (const locale of ['pt-BR', 'en'] as const) {
    it(`${locale}: ErrorNotice titles by code; the core's Portuguese detail only in pt-BR`, () => {
      i18n.global.locale.value = locale;
      wrapper = mount(ErrorNotice, {
        props: { error: { code: 'NOT_FOUND', message: CORE_SAYS } },
        global: { plugins: [i18n] },
      });
      expect(wrapper.text()).toContain(TITLE[locale]);
      if (locale === 'pt-BR') expect(wrapper.text()).toContain(CORE_SAYS);
      else expect(wrapper.text()).not.toContain('não encontrado');
    });

    it(`${locale}: the edit action's toast for a certificate the core does not have`, async () => {
      i18n.global.locale.value = locale;
      const Edit = defineComponent({
        setup() {
          const edit = useEditCertificate();
          return () => render('button', { onClick: () => void edit({ id: '00000000-0000-4000-8000-000000000000' } as CertificateRow) });
        },
      });
      wrapper = mount(NMessageProvider, {
        slots: { default: () => render(Edit) },
        global: { plugins: [i18n] },
        attachTo: document.body,
      });
      await wrapper.find('button').trigger('click');
      const text = await toastText();
      expect(text).toBe(locale === 'pt-BR' ? `${TITLE['pt-BR']} ${CORE_SAYS}` : TITLE.en);
    });
  }
});

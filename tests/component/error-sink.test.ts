import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { mount } from '@vue/test-utils';
import { beforeEach, describe, expect, it } from 'vitest';
import { createApp, defineComponent, h as render, nextTick } from 'vue';
import { ApiError } from '../../renderer/api';
import { installErrorSink } from '../../renderer/error-sink';
import { i18n } from '../../renderer/i18n/index';
import { startHarness, type Harness } from './stores-harness';

let h: Harness;
/** An app that renders nothing: the sink only needs something to install on. */
const Idle = { render: () => null };
beforeEach(async () => (h = await startHarness()));

/** The log the core writes (logs/certdesk.log in its data folder), once the line has landed. */
async function logHas(text: string): Promise<string> {
  for (;;) {
    const log = await readFile(join(h.dataDir, 'logs', 'certdesk.log'), 'utf8').catch(() => '');
    if (log.includes(text)) return log;
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('error sink', () => {
  it('an error escaping a component is said in the UI language and logged by code and class, never by message', async () => {
    i18n.global.locale.value = 'en';
    const shown: string[] = [];
    const Broken = defineComponent({
      setup() {
        return () =>
          render('button', {
            onClick: () => {
              throw new ApiError('WORKSPACE_IN_USE', 'a pasta /home/maria/segredo está em uso');
            },
          });
      },
    });
    const wrapper = mount(Broken, {
      global: {
        plugins: [i18n, { install: (app: ReturnType<typeof createApp>) => void installErrorSink(app, (text) => shown.push(text)) }],
      },
    });
    await wrapper.find('button').trigger('click');
    expect(shown).toEqual(['The data folder is in use by another CertDesk.']);
    const log = await logHas('[renderer] vue error: WORKSPACE_IN_USE (ApiError)');
    expect(log).not.toContain('segredo');
    wrapper.unmount();
  });

  it('an unhandled rejection is said in Portuguese by default and logged as INTERNAL with its class', async () => {
    i18n.global.locale.value = 'pt-BR';
    const shown: string[] = [];
    const app = createApp(Idle);
    const uninstall = installErrorSink(app, (text) => shown.push(text));
    const event = new Event('unhandledrejection', { cancelable: true }) as Event & { reason: unknown };
    event.reason = new TypeError('senha=12345 não pode ser lida');
    window.dispatchEvent(event);
    await nextTick();
    expect(shown).toEqual(['Erro interno inesperado. Tente novamente.']);
    expect(event.defaultPrevented).toBe(true);
    const log = await logHas('[renderer] promise error: INTERNAL (TypeError)');
    expect(log).not.toContain('12345');
    uninstall();
  });
});

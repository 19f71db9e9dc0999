import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { nextLocalDayStart, systemTimeZone } from '@certdesk/shared/local-time';
import StatusTag from '../../renderer/components/StatusTag.vue';
import { i18n } from '../../renderer/i18n/index';

/** Noon of the calendar day `days` from today, in the process's zone (the suite pins TZ). */
const endIn = (days: number) => new Date(nextLocalDayStart(Date.now(), systemTimeZone()) + (days - 1) * 86_400_000 + 12 * 3_600_000);

const render = (
  status: 'valid' | 'expiring' | 'expired' | 'not-yet-valid',
  days: number,
  locale: 'pt-BR' | 'en' = 'pt-BR',
  blocker?: string,
) => {
  i18n.global.locale.value = locale;
  return mount(StatusTag, { props: { status, notAfter: endIn(days).toISOString(), blocker }, global: { plugins: [i18n] } });
};

describe('StatusTag', () => {
  it('uses the exact Portuguese labels of the product, in calendar days, with the hour on the last two days', () => {
    expect(render('valid', 400).text()).toBe('Válido');
    expect(render('expiring', 12).text()).toBe('Vence em 12 dias');
    expect(render('expiring', 1).text()).toBe('Vence amanhã às 12:00');
    expect(render('expired', -3).text()).toBe('Expirado');
    expect(render('not-yet-valid', 900).text()).toBe('Ainda não válido');
  });

  it('speaks English when asked', () => {
    expect(render('expiring', 2, 'en').text()).toBe('Expires in 2 days');
    expect(render('expiring', 1, 'en').text()).toBe('Expires tomorrow at 12:00 PM');
    expect(render('expired', -1, 'en').text()).toBe('Expired');
  });

  it('says not to install a file whose key belongs to another certificate, in red, never "Válido"', () => {
    const tag = render('valid', 400, 'pt-BR', 'Não instale: chave não corresponde');
    expect(tag.text()).toBe('Não instale: chave não corresponde');
    expect(/--n-text-color:\s*([^;]+)/.exec(tag.attributes('style') ?? '')?.[1]).toBe('#d03050');
  });

  it('colours by status (Naive UI sets the colours as CSS variables)', () => {
    const textColour = (status: 'valid' | 'expiring' | 'expired') =>
      /--n-text-color:\s*([^;]+)/.exec(render(status, 3).attributes('style') ?? '')?.[1];
    expect(textColour('valid')).toBe('#18a058');
    expect(textColour('expiring')).toBe('#f0a020');
    expect(textColour('expired')).toBe('#d03050');
  });
});

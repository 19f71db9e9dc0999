import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import StatusTag from '../../renderer/components/StatusTag.vue';
import { i18n } from '../../renderer/i18n/index';

const render = (status: 'valid' | 'expiring' | 'expired' | 'not-yet-valid', days: number, locale: 'pt-BR' | 'en' = 'pt-BR') => {
  i18n.global.locale.value = locale;
  return mount(StatusTag, { props: { status, days }, global: { plugins: [i18n] } });
};

describe('StatusTag', () => {
  it('uses the exact Portuguese labels of the product', () => {
    expect(render('valid', 400).text()).toBe('Válido');
    expect(render('expiring', 12).text()).toBe('Vence em 12 dias');
    expect(render('expiring', 1).text()).toBe('Vence em 1 dia');
    expect(render('expired', -3).text()).toBe('Expirado');
    expect(render('not-yet-valid', 900).text()).toBe('Ainda não válido');
  });

  it('speaks English when asked', () => {
    expect(render('expiring', 2, 'en').text()).toBe('Expires in 2 days');
    expect(render('expired', -1, 'en').text()).toBe('Expired');
  });

  it('colours by status (Naive UI sets the colours as CSS variables)', () => {
    const textColour = (status: 'valid' | 'expiring' | 'expired') =>
      /--n-text-color:\s*([^;]+)/.exec(render(status, 3).attributes('style') ?? '')?.[1];
    expect(textColour('valid')).toBe('#18a058');
    expect(textColour('expiring')).toBe('#f0a020');
    expect(textColour('expired')).toBe('#d03050');
  });
});

import { createI18n } from 'vue-i18n';
import en from './en';
import ptBR from './pt-BR';

export const i18n = createI18n({
  legacy: false,
  locale: 'pt-BR',
  fallbackLocale: 'pt-BR',
  messages: { 'pt-BR': ptBR, en },
  datetimeFormats: {
    'pt-BR': { short: { year: 'numeric', month: '2-digit', day: '2-digit', timeZone: 'UTC' } },
    en: { short: { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' } },
  },
});

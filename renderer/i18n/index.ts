import { createI18n } from 'vue-i18n';
import en from './en';
import ptBR from './pt-BR';

export const i18n = createI18n({
  legacy: false,
  locale: 'pt-BR',
  fallbackLocale: 'pt-BR',
  messages: { 'pt-BR': ptBR, en },
  // Dates go through renderer/time/use-local-time.ts (the user's zone); nothing formats with d().
});

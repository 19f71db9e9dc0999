/**
 * User preferences (language, theme, current environment) in `settings.json` of the data folder.
 * lowdb writes through steno: a temp file renamed over the old one, so a crash never leaves half
 * a document. Nothing secret is ever stored here.
 */
import { Low } from 'lowdb';
import { join } from 'node:path';
import { ENVIRONMENTS, LOCALES, THEMES, type Settings } from '@certdesk/shared/contract';
import { isRecord, openPreferences } from '../preferences';

export const DEFAULT_SETTINGS: Settings = { locale: 'pt-BR', theme: 'system', environment: 'producao' };

/** Keep only known values: an edited or older file never breaks the app. */
function sanitize(raw: Partial<Settings> | null | undefined): Settings {
  const value = raw ?? {};
  return {
    locale: LOCALES.includes(value.locale as never) ? value.locale! : DEFAULT_SETTINGS.locale,
    theme: THEMES.includes(value.theme as never) ? value.theme! : DEFAULT_SETTINGS.theme,
    environment: ENVIRONMENTS.includes(value.environment as never) ? value.environment! : DEFAULT_SETTINGS.environment,
  };
}

export class SettingsService {
  private readonly listeners: ((settings: Settings) => void)[] = [];

  private constructor(private readonly db: Low<Settings>) {}

  /** Called after every saved change (the shell rebuilds the menu in the new language). */
  onChange(listener: (settings: Settings) => void): void {
    this.listeners.push(listener);
  }

  static async open(dataDir: string): Promise<SettingsService> {
    // A damaged file only holds preferences: defaults, one backup, a notice (preferences.ts).
    const db = await openPreferences<Settings>(join(dataDir, 'settings.json'), { ...DEFAULT_SETTINGS }, isRecord);
    db.data = sanitize(db.data);
    return new SettingsService(db);
  }

  get(): Settings {
    return { ...this.db.data };
  }

  async update(patch: Partial<Settings>): Promise<Settings> {
    this.db.data = sanitize({ ...this.db.data, ...patch });
    await this.db.write();
    for (const listener of this.listeners) listener(this.get());
    return this.get();
  }
}

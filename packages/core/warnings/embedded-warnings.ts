/**
 * Warnings of the embedded workspace (docs/PRODUCT.md §6, "Avisos por e-mail e webhook"): settings
 * per environment in the data folder, the SMTP password and the webhooks' secrets in the OS
 * keychain, and the runs that claim what is due and send it. The desktop calls `run` while it is
 * open (desktop/notifications/warning-runner.ts); the revocation check calls `revoked`.
 */
import { randomUUID } from 'node:crypto';
import type { Environment } from '@certdesk/shared/environment';
import {
  dueExpiryWarnings,
  revokedWarning,
  testWarning,
  type DueWarning,
  type RevocationFacts,
  type WarnableCertificate,
} from '@certdesk/shared/warning-events';
import type { DeliveryLogEntry, WarningSettingsUpdate, WarningSettingsView } from '@certdesk/shared/warning-settings';
import type { SecretStore } from '../secret-store';
import { claimWarnings, sendDue, type WarningSecrets } from './warning-dispatch';
import { EmbeddedWarningStore } from './embedded-warning-store';
import { checkWarningSettings } from './warning-targets';

const smtpAccount = (environment: Environment) => `warnings:${environment}:smtp`;
const webhookAccount = (environment: Environment, id: string) => `warnings:${environment}:webhook:${id}`;

export class EmbeddedWarnings {
  private readonly stores = new Map<Environment, Promise<EmbeddedWarningStore>>();

  constructor(
    private readonly dataDir: string,
    private readonly keychain: SecretStore,
    private readonly now: () => Date,
  ) {}

  private store(environment: Environment): Promise<EmbeddedWarningStore> {
    let store = this.stores.get(environment);
    if (!store) {
      store = EmbeddedWarningStore.open(this.dataDir, environment);
      store.catch(() => this.stores.delete(environment));
      this.stores.set(environment, store);
    }
    return store;
  }

  private secrets(environment: Environment): WarningSecrets {
    return {
      smtpPassword: () => this.keychain.get(smtpAccount(environment)).catch(() => null),
      webhookSecret: (id) => this.keychain.get(webhookAccount(environment, id)).catch(() => null),
    };
  }

  async view(environment: Environment): Promise<WarningSettingsView> {
    const { settings } = await this.store(environment);
    const has = async (account: string) => (await this.keychain.get(account).catch(() => null)) !== null;
    return {
      recipients: settings.recipients,
      smtp: settings.smtp,
      smtpPasswordSet: await has(smtpAccount(environment)),
      webhooks: await Promise.all(settings.webhooks.map(async (w) => ({ ...w, secretSet: await has(webhookAccount(environment, w.id)) }))),
      scope: 'environment',
    };
  }

  /** Saves the settings; secrets go to the keychain first (no keychain: KEYCHAIN_UNAVAILABLE, nothing saved). */
  async save(environment: Environment, update: WarningSettingsUpdate): Promise<WarningSettingsView> {
    const store = await this.store(environment);
    await store.queue.run(async () => {
      const before = store.settings;
      const { settings, secrets } = checkWarningSettings(update, before, { refusePrivate: false }, randomUUID);
      if (update.smtpPassword) await this.keychain.set(smtpAccount(environment), update.smtpPassword);
      for (const [id, secret] of secrets) await this.keychain.set(webhookAccount(environment, id), secret);
      await store.saveSettings(settings);
      // Forgotten only once the settings no longer need them.
      if (update.smtpPassword === null) await this.keychain.delete(smtpAccount(environment)).catch(() => false);
      for (const gone of before.webhooks.filter((w) => !settings.webhooks.some((n) => n.id === w.id)))
        await this.keychain.delete(webhookAccount(environment, gone.id)).catch(() => false);
    });
    return this.view(environment);
  }

  /**
   * One run: claims the expiry warnings due for `certificates` and the `extra` ones (swaps that ran
   * or failed), then sends what is due. Answers what was claimed and each attempt made.
   */
  async run(
    environment: Environment,
    certificates: WarnableCertificate[],
    extra: DueWarning[] = [],
  ): Promise<{ claimed: DueWarning[]; attempts: DeliveryLogEntry[] }> {
    const store = await this.store(environment);
    return store.queue.run(async () => {
      const now = this.now();
      const claimed = await claimWarnings(store, [...dueExpiryWarnings(environment, certificates, now), ...extra], store.settings, now);
      const attempts = await sendDue(store, store.settings, this.secrets(environment), now);
      return { claimed, attempts };
    });
  }

  /** The revocation check found `certificate` revoked: warn once (then send what is due). */
  async revoked(environment: Environment, certificate: WarnableCertificate, facts: RevocationFacts): Promise<boolean> {
    const due = revokedWarning(environment, certificate, facts);
    if (!due) return false;
    const { claimed } = await this.run(environment, [], [due]);
    return claimed.length > 0;
  }

  /** "Enviar teste": one test message to every recipient now; answers each attempt. */
  async test(environment: Environment): Promise<DeliveryLogEntry[]> {
    const due = testWarning(environment, this.now(), randomUUID());
    const { claimed, attempts } = await this.run(environment, [], [due]);
    return claimed.length ? attempts.filter((a) => a.event === 'test') : [];
  }

  async deliveries(environment: Environment, limit = 100): Promise<DeliveryLogEntry[]> {
    return (await this.store(environment)).log.slice(0, limit);
  }

  /** Whether `key` was claimed (tests, and the screens' "já avisado"). */
  async claimedAt(environment: Environment, key: string): Promise<string | null> {
    return (await this.store(environment)).claimedAt(key);
  }
}

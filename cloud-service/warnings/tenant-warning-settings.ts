/**
 * A tenant's warnings settings in CertDesk Cloud (one document for both environments): recipients,
 * SMTP server and webhooks, with the SMTP password and each webhook's secret sealed under the
 * tenant's data key like the PFX passwords (crypto.ts), bound to tenant and purpose. The answers
 * say only whether a secret is set.
 */
import { randomUUID } from 'node:crypto';
import type { WarningSettings, WarningSettingsUpdate, WarningSettingsView } from '@certdesk/shared/warning-settings';
import { checkWarningSettings } from '@certdesk/core/warnings/warning-targets';
import type { WarningSecrets } from '@certdesk/core/warnings/warning-dispatch';
import { open, seal } from '../crypto';
import type { Database, Queryable } from '../db/database';
import type { Tenants } from '../tenants';

const EMPTY: WarningSettings = { recipients: [], smtp: null, webhooks: [] };
const smtpContext = (tenantId: string) => `${tenantId}:warnings:smtp-password`;
const webhookContext = (tenantId: string, id: string) => `${tenantId}:warnings:webhook:${id}`;

interface Row {
  settings: WarningSettings;
  smtp_password: Buffer | null;
  webhook_secrets: Record<string, string>;
}

async function read(db: Queryable, tenantId: string, lock = false): Promise<Row | null> {
  const [row] = await db.query<Row>(
    `select settings, smtp_password, webhook_secrets from warning_settings where tenant_id = $1${lock ? ' for update' : ''}`,
    [tenantId],
  );
  return row ?? null;
}

function viewOf(row: Row | null): WarningSettingsView {
  const settings = row?.settings ?? EMPTY;
  return {
    recipients: settings.recipients,
    smtp: settings.smtp,
    smtpPasswordSet: !!row?.smtp_password,
    webhooks: settings.webhooks.map((w) => ({ ...w, secretSet: !!row?.webhook_secrets[w.id] })),
    scope: 'tenant',
  };
}

export class TenantWarningSettings {
  constructor(
    private readonly db: Database,
    private readonly tenants: Tenants,
    /** Tests and the e2e suite point at stand-ins on this machine; production refuses private targets. */
    private readonly allowPrivateTargets = false,
  ) {}

  /** Where the settings and the delivery log live (the log's reader). */
  get database(): Database {
    return this.db;
  }

  async view(tenantId: string): Promise<WarningSettingsView> {
    return viewOf(await read(this.db, tenantId));
  }

  async settings(tenantId: string): Promise<WarningSettings> {
    return (await read(this.db, tenantId))?.settings ?? EMPTY;
  }

  async save(tenantId: string, update: WarningSettingsUpdate): Promise<WarningSettingsView> {
    const dek = await this.tenants.dek(tenantId);
    await this.db.transaction(async (tx) => {
      await tx.query('insert into warning_settings (tenant_id, settings) values ($1, $2) on conflict do nothing', [
        tenantId,
        JSON.stringify(EMPTY),
      ]);
      const current = (await read(tx, tenantId, true))!;
      const { settings, secrets } = checkWarningSettings(
        update,
        current.settings,
        { refusePrivate: !this.allowPrivateTargets },
        randomUUID,
      );
      const kept: Record<string, string> = {};
      for (const w of settings.webhooks) {
        const fresh = secrets.get(w.id);
        const value = fresh
          ? seal(dek, Buffer.from(fresh, 'utf8'), webhookContext(tenantId, w.id)).toString('base64')
          : current.webhook_secrets[w.id];
        if (value) kept[w.id] = value;
      }
      const password =
        update.smtpPassword === undefined
          ? current.smtp_password
          : update.smtpPassword === null
            ? null
            : seal(dek, Buffer.from(update.smtpPassword, 'utf8'), smtpContext(tenantId));
      await tx.query('update warning_settings set settings = $2, smtp_password = $3, webhook_secrets = $4 where tenant_id = $1', [
        tenantId,
        JSON.stringify(settings),
        settings.smtp ? password : null,
        JSON.stringify(kept),
      ]);
    });
    return this.view(tenantId);
  }

  /** The tenant's secrets, decrypted only when a delivery needs one. */
  secrets(tenantId: string): WarningSecrets {
    let row: Promise<Row | null> | null = null;
    const load = () => (row ??= read(this.db, tenantId));
    return {
      smtpPassword: async () => {
        const r = await load();
        return r?.smtp_password
          ? open(await this.tenants.dek(tenantId), Buffer.from(r.smtp_password), smtpContext(tenantId)).toString('utf8')
          : null;
      },
      webhookSecret: async (id) => {
        const sealed = (await load())?.webhook_secrets[id];
        return sealed
          ? open(await this.tenants.dek(tenantId), Buffer.from(sealed, 'base64'), webhookContext(tenantId, id)).toString('utf8')
          : null;
      },
    };
  }
}

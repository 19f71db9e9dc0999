import type { SefazOutcomeCode } from '@certdesk/shared/sefaz';

/** Facts a failure's Portuguese text may name (never a secret: no credentials, no key, no body). */
export interface FailureFacts {
  proxy?: string;
  status?: number;
  seconds?: number;
  limitKb?: number;
  host?: string;
}

/**
 * A check that ended before SEFAZ's answer could be read: which outcome it is, and a technical
 * detail for support (a Node/OpenSSL error code, an HTTP status) that never carries a secret.
 */
export class CheckFailure extends Error {
  constructor(
    readonly code: SefazOutcomeCode,
    readonly detail: string,
    readonly facts: FailureFacts = {},
  ) {
    super(detail);
    this.name = 'CheckFailure';
  }
}

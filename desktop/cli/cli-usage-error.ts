/**
 * A mistake in how `certdesk` was called (exit code 2, usage shown). Its own module so that cli.ts
 * can recognise it without loading cli-invoicy.ts, whose SOAP client and keychain cost ~0.4 s of
 * start-up that `scan` and `inspect` never need.
 */
export class UsageError extends Error {}

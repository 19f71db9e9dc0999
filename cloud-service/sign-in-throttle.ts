/**
 * Sign-in throttling that holds under concurrency and across instances (the counts live in the
 * database, each changed by one atomic upsert):
 *
 * - **Per login**: every attempt is counted *before* the password is judged, so N guesses sent at
 *   once count N and at most MAX_FAILURES of them are ever evaluated; the next one locks the login
 *   for LOCK_MS (429 with Retry-After, even with the right password). A success clears the count.
 * - **Per address**: an address is slowed, never locked. Past ADDRESS_SOFT_LIMIT failures in the
 *   window each attempt from it waits a little longer (up to MAX_ADDRESS_DELAY_MS) before it is
 *   judged, and at most ADDRESS_CONCURRENCY attempts from one address are judged at a time on an
 *   instance (a bounded queue behind them, 429 past it). Colleagues behind the same NAT or load
 *   balancer still get in with their right passwords; a spray of many logins from one address
 *   costs the attacker time and the server a bounded share of its password-hashing threads.
 */
import type { Database } from './db/database';

export const MAX_FAILURES = 10;
export const ADDRESS_SOFT_LIMIT = 30;
export const ADDRESS_CONCURRENCY = 2;
const ADDRESS_QUEUE = 32;
const MAX_ADDRESS_DELAY_MS = 8_000;
const WINDOW_MS = 15 * 60_000;
const LOCK_MS = 15 * 60_000;

export class ThrottledError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super(`Muitas tentativas de entrada sem sucesso: tente de novo em ${Math.ceil(retryAfterSeconds / 60)} minuto(s).`);
  }
}

/** An attempt that got past the throttle: say how it ended. */
export interface Attempt {
  succeeded(): Promise<void>;
  failed(): void;
}

export class SignInThrottle {
  /** Attempts being judged per address on this instance, and those waiting for a place. */
  private readonly gates = new Map<string, { active: number; waiting: (() => void)[] }>();

  constructor(
    private readonly db: Database,
    private readonly now: () => Date,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((done) => setTimeout(done, ms)),
  ) {}

  /**
   * Counts the attempt against its login and address, then waits for its turn; throws
   * ThrottledError when the login is locked (or the address's queue on this instance is full).
   */
  async begin(login: string, address: string): Promise<Attempt> {
    const now = this.now();
    const loginKey = `login:${login}`;
    const addressKey = `addr:${address}`;
    const [loginCount, addressCount] = await Promise.all([this.count(loginKey, now), this.count(addressKey, now)]);
    if (loginCount.blockedUntil && loginCount.blockedUntil > now) throw this.locked(loginCount.blockedUntil, now);
    if (loginCount.attempts > MAX_FAILURES) {
      const until = new Date(now.getTime() + LOCK_MS);
      await this.db.query('update sign_in_throttle set blocked_until = $2 where key = $1 and blocked_until is null', [loginKey, until]);
      throw this.locked(until, now);
    }
    const release = await this.enter(address);
    try {
      const over = addressCount.attempts - ADDRESS_SOFT_LIMIT;
      if (over > 0) await this.sleep(Math.min(MAX_ADDRESS_DELAY_MS, 250 * 2 ** Math.min(over / 5, 6)));
    } catch (error) {
      release();
      throw error;
    }
    let settled = false;
    return {
      succeeded: async () => {
        if (settled) return;
        settled = true;
        release();
        // The login starts afresh; the address gives back the attempt it was charged.
        await this.db.query('delete from sign_in_throttle where key = $1', [loginKey]);
        await this.db.query('update sign_in_throttle set failures = greatest(failures - 1, 0) where key = $1', [addressKey]);
      },
      failed: () => {
        if (settled) return;
        settled = true;
        release();
      },
    };
  }

  private locked(until: Date, now: Date): ThrottledError {
    return new ThrottledError(Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000)));
  }

  /** One more attempt for `key` in its window, atomically; a window or lock that has ended starts afresh. */
  private async count(key: string, now: Date): Promise<{ attempts: number; blockedUntil: Date | null }> {
    const rows = await this.db.query<{ failures: number; blocked_until: Date | null }>(
      `insert into sign_in_throttle as t (key, failures, window_start) values ($1, 1, $2)
       on conflict (key) do update set
         failures = case when t.window_start < $3 or t.blocked_until <= $2 then 1 else t.failures + 1 end,
         window_start = case when t.window_start < $3 or t.blocked_until <= $2 then $2 else t.window_start end,
         blocked_until = case when t.blocked_until <= $2 then null else t.blocked_until end
       returning failures, blocked_until`,
      [key, now, new Date(now.getTime() - WINDOW_MS)],
    );
    const row = rows[0]!;
    return { attempts: Number(row.failures), blockedUntil: row.blocked_until ? new Date(row.blocked_until) : null };
  }

  /** A place among the address's attempts being judged on this instance (a bounded queue, else 429). */
  private async enter(address: string): Promise<() => void> {
    let gate = this.gates.get(address);
    if (!gate) this.gates.set(address, (gate = { active: 0, waiting: [] }));
    const current = gate;
    if (current.active >= ADDRESS_CONCURRENCY) {
      if (current.waiting.length >= ADDRESS_QUEUE) throw new ThrottledError(5);
      await new Promise<void>((turn) => current.waiting.push(turn));
    } else current.active++;
    return () => {
      const next = current.waiting.shift();
      if (next) return next(); // the place passes on: active stays the same
      current.active--;
      if (current.active === 0) this.gates.delete(address);
    };
  }
}

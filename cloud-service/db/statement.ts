/**
 * A statement as a value (its text and parameters), so that the writes of one transaction can be
 * sent to PostgreSQL as one statement. node-postgres sends a statement only after the one before
 * answered: every statement is a round trip, and with 50 installs at once on a 2-core machine each
 * cost ~0.1–0.2 ms of the server's CPU and as much of PostgreSQL's. An install made ten round
 * trips; with its lock and its writes as one statement each, it makes four (with begin and commit).
 * docs/DECISIONS.md, "Cloud under load: an install's writes in one statement".
 */
import type { Queryable } from './database';

export interface Statement {
  text: string;
  values: unknown[];
}

/** The highest `$n` a text uses. */
function highestParameter(text: string): number {
  let highest = 0;
  for (const match of text.matchAll(/\$(\d+)/g)) highest = Math.max(highest, Number(match[1]));
  return highest;
}

/**
 * `parts` (inserts, updates or deletes) run as the data-modifying WITH parts of one statement,
 * named `part1`, `part2`… (or by `names`), then `last` (a select that may read their RETURNING by
 * those names). PostgreSQL runs every part once and to the end whether or not `last` reads it;
 * they share the statement's snapshot, so no part sees another's rows (read what a part wrote
 * through its RETURNING), and foreign keys are checked when the statement ends. Parameters keep
 * their order: each part's `$n` moves past the parameters of the parts before it, so a part uses
 * exactly `$1`…`$N` for its N values, and no text may hold a literal `$n` (a string or a
 * dollar-quoted body would be renumbered too).
 */
export function together(
  parts: (Statement & { name?: string })[],
  last: Statement = { text: 'select true as done', values: [] },
): Statement {
  let offset = 0;
  const renumbered = (s: Statement): string => {
    if (highestParameter(s.text) !== s.values.length)
      throw new Error(`statement uses ${highestParameter(s.text)} parameters and carries ${s.values.length}: ${s.text}`);
    const text = s.text.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`);
    offset += s.values.length;
    return text;
  };
  const withs = parts.map((part, i) => `${part.name ?? `part${i + 1}`} as (${renumbered(part)})`);
  const final = renumbered(last);
  return { text: `with ${withs.join(',\n')}\n${final}`, values: [...parts.flatMap((p) => p.values), ...last.values] };
}

/** Runs one statement (a single one, or parts put together) in `q`. */
export function run<T = Record<string, unknown>>(q: Queryable, statement: Statement): Promise<T[]> {
  return q.query<T>(statement.text, statement.values);
}

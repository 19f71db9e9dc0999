/**
 * The list cache's one promise, checked the same way by every test of it: whatever answer a cache
 * holds — updated by writes, caught up with another instance's — is byte for byte (JSON, gzip,
 * ETag) the answer a cache that saw nothing builds from the database now.
 */
import { gunzipSync } from 'node:zlib';
import { expect } from 'vitest';
import type { Environment } from '@certdesk/shared/contract';
import type { Caller } from '../../../cloud-service/auth';
import type { Queryable } from '../../../cloud-service/db/database';
import { ListCache, type ListAnswer } from '../../../cloud-service/list-cache';

export async function expectSameAsFreshBuild(
  answer: ListAnswer,
  db: Queryable,
  caller: Caller,
  env: Environment,
  now: Date,
): Promise<void> {
  const fresh = new ListCache();
  try {
    const built = await fresh.answer(db, caller, env, now);
    expect(fresh.counts.built, 'the reference was built from the database').toBe(1);
    expect(answer.body.toString('utf8'), 'the JSON equals a fresh build').toBe(built.body.toString('utf8'));
    expect(answer.gzip.equals(built.gzip), 'the gzip bytes equal a fresh build').toBe(true);
    expect(answer.etag).toBe(built.etag);
    expect(gunzipSync(answer.gzip).equals(answer.body)).toBe(true);
  } finally {
    await fresh.close();
  }
}

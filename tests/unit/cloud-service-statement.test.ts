/**
 * Writes put together as one statement (cloud-service/db/statement.ts), on PGlite and on a real
 * PostgreSQL: each part keeps its own parameters, every part runs, the last select reads a part's
 * RETURNING and sees the table as it was before the statement, foreign keys hold across parts, and
 * a failing part undoes the whole statement; a part's parameters must match its text.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../cloud-service/db/database';
import { run, together } from '../../cloud-service/db/statement';
import { ENGINES, START_TIMEOUT, testDatabase, type TestDatabase } from './helpers/cloud-service';

describe.each(ENGINES)('writes put together as one statement (%s)', (engine) => {
  let test: TestDatabase;
  let db: Database;

  beforeAll(async () => {
    test = await testDatabase(engine);
    db = await openDatabase({ url: test.url, dataDir: test.dataDir });
    await db.exec(`create table parents (id int primary key, name text not null);
      create table children (id int primary key, parent int not null references parents(id), note text)`);
  }, START_TIMEOUT);
  afterAll(async () => {
    await db?.close();
    await test?.stop();
  });

  const parent = (id: number, name: string) => ({
    text: 'insert into parents (id, name) values ($1, $2) returning id',
    values: [id, name],
  });
  const child = (id: number, parentId: number, note: string | null) => ({
    text: 'insert into children (id, parent, note) values ($1, $2, $3)',
    values: [id, parentId, note],
  });

  it('runs every part with its own parameters; the last select reads a RETURNING and the rows from before', async () => {
    await run(db, parent(1, 'antes'));
    const statement = together([{ name: 'added', ...parent(2, 'novo') }, child(10, 2, 'filho do novo'), child(11, 1, null)], {
      text: 'select (select id from added) as added, (select count(*) from parents where name = $1) as seen_before, $2::text as own',
      values: ['novo', 'último'],
    });
    expect(statement.values).toEqual([2, 'novo', 10, 2, 'filho do novo', 11, 1, null, 'novo', 'último']);
    const [answer] = await run<{ added: number; seen_before: number; own: string }>(db, statement);
    expect(answer).toEqual({ added: 2, seen_before: 0, own: 'último' });
    expect(await db.query('select id, parent, note from children order by id')).toEqual([
      { id: 10, parent: 2, note: 'filho do novo' },
      { id: 11, parent: 1, note: null },
    ]);
    expect(await db.query('select id, name from parents order by id')).toEqual([
      { id: 1, name: 'antes' },
      { id: 2, name: 'novo' },
    ]);
  });

  it('a part that fails undoes the others', async () => {
    // The child's parent does not exist: the foreign key is checked at the statement's end.
    await expect(run(db, together([parent(3, 'desfeito'), child(12, 99, null)]))).rejects.toMatchObject({ code: '23503' });
    expect(await db.query('select id from parents where id = 3')).toEqual([]);
    await expect(run(db, together([parent(4, 'desfeito'), parent(1, 'repetido')]))).rejects.toMatchObject({ code: '23505' });
    expect(await db.query('select id from parents where id = 4')).toEqual([]);
  });

  it('refuses a part whose text uses more or fewer parameters than it carries', () => {
    expect(() => together([{ text: 'insert into parents (id, name) values ($1, $2)', values: [5] }])).toThrow(
      /uses 2 parameters and carries 1/,
    );
    expect(() => together([{ text: 'insert into parents (id, name) values ($1, $2)', values: [5, 'a', 'b'] }])).toThrow(
      /uses 2 parameters and carries 3/,
    );
  });
});

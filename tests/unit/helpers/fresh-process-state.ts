/**
 * Setup file of the unit project, run before each test file. The unit files share their worker
 * processes (vitest.config.ts, `isolate: false`), so each file starts from the process state a new
 * worker has: the umask it was started with (opening the embedded database sets 077 for the whole
 * process, which would hide a file our code writes without its mode) and the suite's time zone.
 */
const FIRST_UMASK = Symbol.for('certdesk.tests.firstUmask');
const state = globalThis as { [FIRST_UMASK]?: number };

state[FIRST_UMASK] ??= process.umask();
process.umask(state[FIRST_UMASK]);
process.env['TZ'] = 'UTC';

/**
 * Prints the engine's real answer for one fixture as JSON: `tsx inspect-json.ts NAME NOW`, opened
 * with the fixtures' password. The renderer's component tests (typechecked as browser code, which
 * may not import the core or Node) read real inspections through it instead of hand-made ones.
 */
import { inspectFile } from '@certdesk/core/pfx/inspect';
import { PASSWORD, pfx } from '../../fixtures';

const [name, now] = process.argv.slice(2);
const inspection = await inspectFile(pfx(name!), { password: PASSWORD, now: now ? new Date(now) : new Date() });
process.stdout.write(JSON.stringify(inspection));

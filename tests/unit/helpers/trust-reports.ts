/**
 * The trust engine's real answers, printed as JSON for the renderer's tests (which run in a browser
 * environment and cannot start servers): the CA stand-in's revoked certificate checked online, and
 * its valid one checked offline with nothing cached (`{ revoked, unchecked }`).
 */
import { TrustService } from '@certdesk/core/trust/trust-service';
import { startCaServer } from '../../../stand-ins/ca-server';

const ca = await startCaServer();
try {
  const revoked = await new TrustService({ dataDir: null, online: true }).evaluate(ca.pki.leaves['revogado'].der, [ca.pki.ac.der]);
  const unchecked = await new TrustService({ dataDir: null }).evaluate(ca.pki.leaves['valido'].der, [ca.pki.ac.der]);
  process.stdout.write(JSON.stringify({ revoked, unchecked }));
} finally {
  await ca.close();
}

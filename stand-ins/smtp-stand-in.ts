/**
 * A stand-in SMTP server for tests and demos (`npm run smtp:server`): the `smtp-server` package on
 * 127.0.0.1, keeping every message it accepts, parsed (`mailparser`), so a test reads who got what.
 * Plain SMTP on loopback (what CertDesk allows only for a server on this computer); optional
 * AUTH PLAIN/LOGIN with one user, and `rejectNext(n)` to answer 451 to the next n messages.
 */
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  from: string;
  to: string[];
  subject: string;
  text: string;
  /** Who authenticated (null without AUTH). */
  user: string | null;
}

export interface SmtpStandIn {
  port: number;
  received: ReceivedMail[];
  rejectNext(n: number): void;
  close(): Promise<void>;
}

export async function startSmtpStandIn(options: { port?: number; user?: { name: string; password: string } } = {}): Promise<SmtpStandIn> {
  const received: ReceivedMail[] = [];
  let rejecting = 0;
  const server = new SMTPServer({
    secure: false,
    disabledCommands: options.user ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    authOptional: !options.user,
    allowInsecureAuth: true,
    size: 1024 * 1024,
    logger: false,
    onAuth(auth, _session, callback) {
      if (options.user && auth.username === options.user.name && auth.password === options.user.password)
        return callback(null, { user: auth.username });
      return callback(new Error('Invalid username or password'));
    },
    onData(stream, session, callback) {
      if (rejecting > 0) {
        rejecting--;
        stream.resume();
        stream.on('end', () => callback(Object.assign(new Error('Tente mais tarde'), { responseCode: 451 })));
        return;
      }
      simpleParser(stream).then(
        (mail) => {
          received.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            subject: mail.subject ?? '',
            text: mail.text ?? '',
            user: (session.user as string | undefined) ?? null,
          });
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  server.on('error', () => undefined);
  const address = server.server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    received,
    rejectNext: (n) => (rejecting = n),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

import { SMTPServer } from 'smtp-server';
import { freePort } from './postgres-server.js';

export interface SmtpPeer {
  port: number;
  url: string;
  /** Every message received, raw, in order. */
  received: Buffer[];
  /** The envelope's recipients (RCPT TO) of each message, in the same order: BCC shows only here. */
  recipients: string[][];
  stop(): Promise<void>;
}

/** A real SMTP peer on loopback that keeps what it receives (no auth, no TLS). */
export async function startSmtpPeer(): Promise<SmtpPeer> {
  const received: Buffer[] = [];
  const recipients: string[][] = [];
  const server = new SMTPServer({
    authOptional: true, disabledCommands: ['AUTH', 'STARTTLS'], logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => { received.push(Buffer.concat(chunks)); recipients.push(session.envelope.rcptTo.map((r) => r.address)); callback(); });
    },
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { port, url: `smtp://127.0.0.1:${port}`, received, recipients, stop: () => new Promise((resolve) => server.close(() => resolve())) };
}

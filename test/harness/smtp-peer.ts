import { SMTPServer } from 'smtp-server';
import { freePort } from './postgres-server.js';

export interface SmtpPeer {
  port: number;
  url: string;
  /** Every message received, raw, in order. */
  received: Buffer[];
  stop(): Promise<void>;
}

/** A real SMTP peer on loopback that keeps what it receives (no auth, no TLS). */
export async function startSmtpPeer(): Promise<SmtpPeer> {
  const received: Buffer[] = [];
  const server = new SMTPServer({
    authOptional: true, disabledCommands: ['AUTH', 'STARTTLS'], logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => { received.push(Buffer.concat(chunks)); callback(); });
    },
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { port, url: `smtp://127.0.0.1:${port}`, received, stop: () => new Promise((resolve) => server.close(() => resolve())) };
}

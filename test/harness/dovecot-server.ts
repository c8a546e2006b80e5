import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './postgres-server.js';

/**
 * A throwaway Dovecot (Debian's dovecot-imapd) for one test file: its own config, state and
 * maildirs in a temp dir, IMAP on a free loopback port, users from a passwd-file. Mail is
 * stored as uid/gid 8 (`mail`): Dovecot refuses to deliver into a mailbox as root.
 */
export interface DovecotServer {
  host: string;
  port: number;
  /** imap://user:password@127.0.0.1:port/INBOX for a user created with `addUser`. */
  url(user: string, password: string, folder?: string): string;
  /** Adds a user and waits until Dovecot lets it sign in. */
  addUser(user: string, password: string): Promise<void>;
  log(): string;
  stop(): Promise<void>;
}

const DOVECOT = '/usr/sbin/dovecot';
const MAIL_UID = 8;
const MAIL_GID = 8;

/** One plain IMAP LOGIN over a socket; the tagged answer (or '' when the connection failed). */
function loginOnce(port: number, user: string, password: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let buffer = '';
    const done = (answer: string) => { socket.destroy(); resolve(answer); };
    socket.setTimeout(5_000, () => done(`timeout: ${buffer}`));
    socket.on('data', (data) => {
      buffer += data.toString();
      if (buffer.startsWith('* OK') && !buffer.includes('a LOGIN-SENT')) {
        buffer += 'a LOGIN-SENT\n';
        socket.write(`a LOGIN "${user}" "${password}"\r\n`);
      }
      const tagged = /^a (OK|NO|BAD).*$/m.exec(buffer);
      if (tagged) done(tagged[0]);
    });
    socket.once('error', (error) => done(`error: ${error.message}`));
  });
}

export async function startDovecot(): Promise<DovecotServer> {
  if (!existsSync(DOVECOT)) throw new Error(`${DOVECOT} not found: install dovecot-imapd`);
  const dir = mkdtempSync(join(tmpdir(), 'tresen-dovecot-'));
  chmodSync(dir, 0o755);
  const port = await freePort();
  const usersFile = join(dir, 'users');
  const mailRoot = join(dir, 'mail');
  mkdirSync(mailRoot);
  if (process.getuid?.() === 0) chownSync(mailRoot, MAIL_UID, MAIL_GID);
  writeFileSync(usersFile, '');
  const uid = process.getuid?.() === 0 ? MAIL_UID : process.getuid!();
  const gid = process.getuid?.() === 0 ? MAIL_GID : process.getgid!();
  const config = `
base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:${mailRoot}/%u
first_valid_uid = ${Math.min(uid, MAIL_UID)}
last_valid_uid = 0
mail_uid = ${uid}
mail_gid = ${gid}
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${usersFile}
}
userdb {
  driver = passwd-file
  args = username_format=%u ${usersFile}
  default_fields = uid=${uid} gid=${gid} home=${mailRoot}/%u
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
service stats {
  unix_listener stats-reader {
    mode = 0666
  }
  unix_listener stats-writer {
    mode = 0666
  }
}
protocol imap {
  mail_max_userip_connections = 50
}
`;
  const configFile = join(dir, 'dovecot.conf');
  writeFileSync(configFile, config);
  const child: ChildProcess = spawn(DOVECOT, ['-F', '-c', configFile], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  child.unref();
  (child.stderr as { unref?: () => void } | null)?.unref?.();
  const logFile = join(dir, 'dovecot.log');
  const log = () => `${stderr}${existsSync(logFile) ? readFileSync(logFile, 'utf8') : ''}`;

  const deadline = Date.now() + 10_000;
  for (;;) {
    const greeting = await new Promise<string>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('data', (data) => { socket.destroy(); resolve(data.toString()); });
      socket.once('error', () => resolve(''));
    });
    if (greeting.startsWith('* OK')) break;
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`Dovecot did not start:\n${log()}`);
    await new Promise((r) => setTimeout(r, 50));
  }

  return {
    host: '127.0.0.1',
    port,
    url: (user, password, folder = 'INBOX') => `imap://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}/${encodeURIComponent(folder)}`,
    async addUser(user, password) {
      // Written aside and renamed over, so Dovecot never reads a half-written file.
      writeFileSync(`${usersFile}.tmp`, `${readFileSync(usersFile, 'utf8')}${user}:{PLAIN}${password}:${uid}:${gid}::${mailRoot}/${user}::\n`);
      renameSync(`${usersFile}.tmp`, usersFile);
      // Tests sign in right away: wait until a real LOGIN succeeds (Dovecot rereads the file on its own schedule).
      const until = Date.now() + 10_000;
      let answer = '';
      while (Date.now() < until) {
        answer = await loginOnce(port, user, password);
        if (answer.includes('a OK')) return;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`Dovecot does not let ${user} sign in: ${answer}\n${log()}`);
    },
    log,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

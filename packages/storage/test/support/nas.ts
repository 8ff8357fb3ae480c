// Helpers for tests against the `nas` lab profile: destinations for its FTP/FTPS/SFTP servers,
// deterministic server control, and checksums of what is on its disk (read from the controller).
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { FtpDestination, SftpDestination } from '@shipshape/storage';
import type { Lab } from '@shipshape/testlab';

const host = (lab: Lab, name: string) => lab.hosts.find((h) => h.name === name)!;

export function nasPassword(lab: Lab, name: string): string {
  return readFileSync(join(host(lab, name).root, 'etc/nas/backup.password'), 'utf8').trim();
}

export function nasFtp(lab: Lab, name: string, path: string, type: 'ftp' | 'ftps' = 'ftp'): FtpDestination {
  const h = host(lab, name);
  const tls = type === 'ftps' ? { ca: readFileSync(join(h.root, 'etc/nas/ftp.pem')) } : undefined;
  return { type, host: h.address, user: 'backup', password: nasPassword(lab, name), path, tls, timeoutMs: 20_000 };
}

export function nasSftp(lab: Lab, name: string, path: string): SftpDestination {
  const h = host(lab, name);
  return { type: 'sftp', host: h.address, user: 'backup', privateKeyPath: join(h.root, 'etc/nas/backup_key'), knownHostsFile: lab.knownHostsPath, path };
}

/** The backup account's directory on the NAS host, as the controller sees it. */
export function nasDir(lab: Lab, name: string, path: string): string {
  return join(host(lab, name).root, 'home/backup', path);
}

/** Sorted entries of a directory ([] when missing). */
export function entries(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}

/** relative path → sha256 of every file below `dir`. */
export function treeSums(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, rel: string) => {
    for (const e of readdirSync(d).sort()) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p, `${rel}${e}/`);
      else out[`${rel}${e}`] = createHash('sha256').update(readFileSync(p)).digest('hex');
    }
  };
  if (existsSync(dir)) walk(dir, '');
  return out;
}

export async function ftpStop(lab: Lab, name: string): Promise<void> {
  const r = await lab.exec(name, '/usr/local/sbin/nas-ftp stop');
  if (r.code !== 0) throw new Error(`nas-ftp stop: ${r.stderr}`);
}

export async function ftpStart(lab: Lab, name: string): Promise<void> {
  const r = await lab.exec(name, '/usr/local/sbin/nas-ftp start');
  if (r.code !== 0) throw new Error(`nas-ftp start: ${r.stderr}`);
}

import { createHmac } from 'node:crypto';
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** The names a host is listed under in known_hosts: `addr` on port 22, else `[addr]:port`. */
export function knownHostsName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

function matchesName(field: string, name: string): boolean {
  for (const entry of field.split(',')) {
    if (entry.startsWith('|1|')) {
      const [, , salt, hash] = entry.split('|');
      if (!salt || !hash) continue;
      const h = createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64');
      if (h === hash) return true;
    } else if (entry === name) return true;
  }
  return false;
}

export type HostKeyVerdict = 'match' | 'mismatch' | 'unknown';

/** Compare a presented host key (raw SSH wire blob) with a known_hosts file's text. */
export function checkHostKey(text: string, name: string, key: Buffer): HostKeyVerdict {
  const b64 = key.toString('base64');
  let listed = false;
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (!t || t.startsWith('#')) continue;
    const parts = t.split(/\s+/);
    const offset = parts[0]!.startsWith('@') ? 1 : 0;
    if (parts[offset] === undefined || !matchesName(parts[offset]!, name)) continue;
    if (parts[0] === '@revoked') {
      if (parts[offset + 2] === b64) return 'mismatch';
      continue;
    }
    listed = true;
    if (parts[offset + 2] === b64) return 'match';
  }
  return listed ? 'mismatch' : 'unknown';
}

export async function readKnownHosts(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    return '';
  }
}

/** Append a newly accepted key (accept-new policy). */
export async function addKnownHost(file: string, name: string, key: Buffer): Promise<void> {
  const type = key.subarray(4, 4 + key.readUInt32BE(0)).toString();
  await mkdir(dirname(file), { recursive: true });
  await appendFile(file, `${name} ${type} ${key.toString('base64')}\n`, { mode: 0o600 });
}

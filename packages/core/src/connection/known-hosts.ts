/**
 * known_hosts as OpenSSH reads it (hostfile.c, match.c): host patterns with `*`/`?`, comma lists
 * where one matching `!pattern` makes the line not match, hashed `|1|salt|hash` names
 * (HMAC-SHA1), `@revoked` and `@cert-authority` markers, several files read as one list.
 */
import { createHmac } from 'node:crypto';
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/** The name a host is looked up under: lowercase, `[addr]:port` unless the port is 22. */
export function knownHostsName(host: string, port: number): string {
  const h = host.toLowerCase();
  return port === 22 ? h : `[${h}]:${port}`;
}

/** OpenSSH's match_pattern: `*` any run of characters, `?` one character, nothing else special. */
function matchPattern(name: string, pattern: string): boolean {
  const re = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[\\s\\S]*').replace(/\?/g, '[\\s\\S]');
  return new RegExp(`^${re}$`).test(name);
}

/** match_hostname: a matching negated pattern anywhere in the list wins over every positive one. */
export function matchHostPatterns(name: string, list: string): boolean {
  let positive = false;
  for (const raw of list.split(',')) {
    const negated = raw.startsWith('!');
    if (!matchPattern(name, (negated ? raw.slice(1) : raw).toLowerCase())) continue;
    if (negated) return false;
    positive = true;
  }
  return positive;
}

/** A hashed name `|1|base64(20-byte salt)|base64(HMAC-SHA1(salt, name))`; undefined when malformed. */
function matchHashed(name: string, field: string): boolean | undefined {
  const m = /^\|1\|([^|]+)\|(.*)$/.exec(field);
  if (!m) return undefined;
  const salt = Buffer.from(m[1]!, 'base64');
  if (salt.length !== 20) return undefined;
  return field === `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(name).digest('base64')}`;
}

export type Marker = 'none' | 'cert-authority' | 'revoked';

/** One usable known_hosts line that names the host looked up. */
export interface KnownHostEntry {
  readonly file: string;
  readonly line: number;
  readonly marker: Marker;
  /** Key type as written (`ssh-ed25519`, `ssh-rsa`, ...). */
  readonly type: string;
  /** The public key blob (SSH wire format). */
  readonly key: Buffer;
}

const MARKERS: Record<string, Marker> = { '@cert-authority': 'cert-authority', '@revoked': 'revoked' };

/** The blob's own type name, or undefined when it is not a well-formed key blob. */
function blobType(blob: Buffer): string | undefined {
  if (blob.length < 4) return undefined;
  const n = blob.readUInt32BE(0);
  return n > 0 && 4 + n <= blob.length ? blob.subarray(4, 4 + n).toString('latin1') : undefined;
}

/** The lines of one file that apply to `name`; lines OpenSSH would skip as invalid are skipped. */
export function entriesFor(text: string, file: string, name: string): KnownHostEntry[] {
  const out: KnownHostEntry[] = [];
  text.split('\n').forEach((raw, i) => {
    const fields = raw.replace(/\r$/, '').trim().split(/[ \t]+/);
    if (!fields[0] || fields[0].startsWith('#')) return;
    let marker: Marker = 'none';
    if (fields[0].startsWith('@')) {
      const m = MARKERS[fields.shift()!];
      if (!m) return;
      marker = m;
    }
    const [hosts, type, b64] = fields;
    if (!hosts || !type || !b64) return;
    const matched = hosts.startsWith('|') ? matchHashed(name, hosts) : matchHostPatterns(name, hosts);
    if (!matched) return;
    const key = Buffer.from(b64, 'base64');
    if (blobType(key) !== type) return;
    out.push({ file, line: i + 1, marker, type, key });
  });
  return out;
}

/**
 * The verdict on a presented plain host key, as check_key_in_hostkeys gives it: `ok` when a plain
 * line holds exactly this key, `changed` when plain lines name the host but none holds it (of any
 * key type), `new` when none names the host, `revoked` when a matching `@revoked` line holds it,
 * whatever else matches. `@cert-authority` lines vouch only for host certificates, never for a
 * plain key.
 */
export type HostKeyStatus = 'ok' | 'new' | 'changed' | 'revoked';

export interface HostKeyVerdict {
  readonly status: HostKeyStatus;
  /** The matching line (ok), or the last line with another key (changed). */
  readonly found?: KnownHostEntry;
}

export function checkHostKey(entries: readonly KnownHostEntry[], key: Buffer): HostKeyVerdict {
  let verdict: HostKeyVerdict = { status: 'new' };
  for (const e of entries) {
    if (e.marker !== 'none') continue;
    if (e.key.equals(key)) {
      verdict = { status: 'ok', found: e };
      break;
    }
    verdict = { status: 'changed', found: e };
  }
  if (entries.some((e) => e.marker === 'revoked' && e.key.equals(key))) return { status: 'revoked' };
  return verdict;
}

/** The files OpenSSH reads by default: user files first (new keys go to the first), then global. */
export const DEFAULT_USER_KNOWN_HOSTS = [join(homedir(), '.ssh', 'known_hosts'), join(homedir(), '.ssh', 'known_hosts2')];
export const DEFAULT_GLOBAL_KNOWN_HOSTS = ['/etc/ssh/ssh_known_hosts', '/etc/ssh/ssh_known_hosts2'];

/** Every entry for `name` in these files, in order; a missing file holds none. */
export async function loadEntries(files: readonly string[], name: string): Promise<KnownHostEntry[]> {
  const texts = await Promise.all(files.map((f) => readFile(f, 'utf8').catch(() => '')));
  return texts.flatMap((t, i) => entriesFor(t, files[i]!, name));
}

/**
 * Server host key algorithms in the order OpenSSH asks for them: the types already known for the
 * host first (so a host known by its RSA key is asked for that key), then the rest.
 */
export function preferKnownTypes<T extends string>(algorithms: readonly T[], entries: readonly KnownHostEntry[]): T[] {
  const known = new Set(entries.filter((e) => e.marker === 'none').map((e) => e.type));
  const isKnown = (alg: string): boolean => known.has(alg) || (known.has('ssh-rsa') && alg.startsWith('rsa-sha2-'));
  return [...algorithms.filter(isKnown), ...algorithms.filter((a) => !isKnown(a))];
}

/** Append a newly accepted key to the first user file (accept-new, or policy off), as OpenSSH does. */
export async function addKnownHost(file: string, name: string, key: Buffer): Promise<void> {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  await appendFile(file, `${name} ${blobType(key)} ${key.toString('base64')}\n`, { mode: 0o600 });
}

/** A key type as OpenSSH names it in messages: ED25519, RSA, ECDSA. */
export function keyLabel(type: string): string {
  return (/^ssh-(ed25519|rsa|dss)$/.exec(type)?.[1] ?? (type.startsWith('ecdsa-') ? 'ecdsa' : type)).toUpperCase();
}

/**
 * StrictHostKeyChecking as OpenSSH applies it to a known_hosts verdict:
 *   strict (yes)  only `ok` connects;
 *   accept-new    `new` connects and is added to the first user file, `changed`/`revoked` refuse;
 *   off (no)      `new` is added too; `changed`/`revoked` connect with a loud warning and with
 *                 password and keyboard-interactive authentication disabled (a man in the middle
 *                 would receive the password).
 * The connection library (ssh2) offers no host certificate algorithms, so the server always
 * presents a plain key and `@cert-authority` lines can never vouch for it.
 */
import type { ConnectionSpec } from '../types.js';
import {
  addKnownHost, checkHostKey, DEFAULT_GLOBAL_KNOWN_HOSTS, DEFAULT_USER_KNOWN_HOSTS, keyLabel, knownHostsName, loadEntries, preferKnownTypes,
  type HostKeyVerdict, type KnownHostEntry,
} from './known-hosts.js';

const list = (v: string | readonly string[] | undefined, dflt: readonly string[]): readonly string[] =>
  v === undefined ? dflt : typeof v === 'string' ? [v] : v;

export interface HostKeyGate {
  /** The known_hosts name looked up (`host` or `[host]:port`). */
  readonly name: string;
  /** Host key algorithms to offer, known types first. */
  algorithms<T extends string>(all: readonly T[]): T[];
  /** ssh2's hostVerifier: true to go on. */
  verify(key: Buffer): boolean;
  /** Why the key was refused (after verify returned false). */
  readonly rejected?: string;
  /** Warnings to show once connected (policy off over a changed or revoked key). */
  readonly warnings: readonly string[];
  /** Password and keyboard-interactive authentication must not be used. */
  readonly unsafe: boolean;
  /** Record an accepted new key (after authentication succeeded). */
  commit(): Promise<void>;
}

const at = (e: KnownHostEntry | undefined): string => (e ? ` (${e.file}:${e.line})` : '');

export async function hostKeyGate(spec: ConnectionSpec): Promise<HostKeyGate> {
  const policy = spec.hostKeyPolicy ?? 'strict';
  const name = knownHostsName(spec.host, spec.port ?? 22);
  const userFiles = list(spec.knownHostsFile, DEFAULT_USER_KNOWN_HOSTS);
  const files = [...userFiles, ...list(spec.globalKnownHostsFile, DEFAULT_GLOBAL_KNOWN_HOSTS)];
  const entries = await loadEntries(files, name);
  let accepted: Buffer | undefined;
  const gate = {
    name,
    rejected: undefined as string | undefined,
    warnings: [] as string[],
    unsafe: false,
    algorithms: <T extends string>(all: readonly T[]) => preferKnownTypes(all, entries),
    verify(key: Buffer): boolean {
      const v = checkHostKey(entries, key);
      if (v.status === 'ok') return true;
      const type = keyLabel(key.subarray(4, 4 + key.readUInt32BE(0)).toString('latin1'));
      if (v.status === 'new' && policy !== 'strict') {
        accepted = key;
        return true;
      }
      const problem = describe(v, type, name, files, entries);
      if (policy === 'off' && v.status !== 'new') {
        gate.unsafe = true;
        gate.warnings.push(`${problem}; connecting anyway because StrictHostKeyChecking is off: password and keyboard-interactive authentication are disabled to avoid man-in-the-middle attacks`);
        return true;
      }
      gate.rejected = `${problem}; refused (StrictHostKeyChecking ${policy === 'strict' ? 'yes' : policy})`;
      return false;
    },
    async commit() {
      if (accepted && userFiles[0]) await addKnownHost(userFiles[0], name, accepted);
    },
  };
  return gate;
}

function describe(v: HostKeyVerdict, type: string, name: string, files: readonly string[], entries: readonly KnownHostEntry[]): string {
  if (v.status === 'revoked') return `REVOKED HOST KEY DETECTED: the ${type} host key for ${name} is marked as revoked in known_hosts`;
  if (v.status === 'changed') {
    return `REMOTE HOST IDENTIFICATION HAS CHANGED: the ${type} host key for ${name} is not the one known${at(v.found)} (possible man-in-the-middle attack)`;
  }
  const ca = entries.find((e) => e.marker === 'cert-authority');
  const note = ca ? `; the @cert-authority line${at(ca)} is not used: host certificates are not supported (ssh2), list the host's own key` : '';
  return `the ${type} host key of ${name} is not in ${files.join(', ')}${note}`;
}

/**
 * ansible.cfg, found and read as ansible-core does: the first of $ANSIBLE_CONFIG (a file, or a
 * directory holding ansible.cfg), ./ansible.cfg (not from a world-writable directory),
 * ~/.ansible.cfg, /etc/ansible/ansible.cfg is the one file used. ANSIBLE_* environment variables
 * override its keys, command-line flags override both. Relative paths in the file are relative
 * to the file's directory, in the environment to the working directory.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { InventoryError } from '@shipshape/core';

/** The settings shipshape takes from ansible.cfg, after environment variables. */
export interface AnsibleConfig {
  /** The config file used, as `ansible --version` names it. */
  readonly file?: string;
  readonly inventory?: string[];
  readonly remoteUser?: string;
  readonly privateKeyFile?: string;
  readonly forks?: number;
  readonly hostKeyChecking?: boolean;
  readonly timeout?: number;
  readonly become?: boolean;
  readonly becomeMethod?: string;
  readonly becomeUser?: string;
  readonly becomeAskPass?: boolean;
  readonly vaultPasswordFile?: string;
  /** Vault ids (`label@source`) always used, before the command line's --vault-id. */
  readonly vaultIdentityList?: readonly string[];
}

type Kind = 'string' | 'int' | 'bool' | 'path' | 'pathlist' | 'list';

/** Key → [section, key in the file, environment variable, type], as in ansible-core's base.yml. */
const KEYS: Record<Exclude<keyof AnsibleConfig, 'file'>, readonly [string, string, string, Kind]> = {
  inventory: ['defaults', 'inventory', 'ANSIBLE_INVENTORY', 'pathlist'],
  remoteUser: ['defaults', 'remote_user', 'ANSIBLE_REMOTE_USER', 'string'],
  privateKeyFile: ['defaults', 'private_key_file', 'ANSIBLE_PRIVATE_KEY_FILE', 'path'],
  forks: ['defaults', 'forks', 'ANSIBLE_FORKS', 'int'],
  hostKeyChecking: ['defaults', 'host_key_checking', 'ANSIBLE_HOST_KEY_CHECKING', 'bool'],
  timeout: ['defaults', 'timeout', 'ANSIBLE_TIMEOUT', 'int'],
  vaultPasswordFile: ['defaults', 'vault_password_file', 'ANSIBLE_VAULT_PASSWORD_FILE', 'path'],
  vaultIdentityList: ['defaults', 'vault_identity_list', 'ANSIBLE_VAULT_IDENTITY_LIST', 'list'],
  become: ['privilege_escalation', 'become', 'ANSIBLE_BECOME', 'bool'],
  becomeMethod: ['privilege_escalation', 'become_method', 'ANSIBLE_BECOME_METHOD', 'string'],
  becomeUser: ['privilege_escalation', 'become_user', 'ANSIBLE_BECOME_USER', 'string'],
  becomeAskPass: ['privilege_escalation', 'become_ask_pass', 'ANSIBLE_BECOME_ASK_PASS', 'bool'],
};

export interface ConfigPlace {
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly home?: string;
  /** @default /etc/ansible/ansible.cfg */
  readonly systemFile?: string;
}

const expandUser = (p: string, home: string): string => p.replace(/^~(?=\/|$)/, home);

/** The ansible.cfg ansible-core would use, if any. */
export function findConfigFile(place: ConfigPlace = {}): string | undefined {
  const env = place.env ?? process.env;
  const cwd = place.cwd ?? process.cwd();
  const home = place.home ?? env.HOME ?? homedir();
  const candidates: string[] = [];
  if (env.ANSIBLE_CONFIG !== undefined) {
    const p = resolve(cwd, expandUser(env.ANSIBLE_CONFIG, home));
    candidates.push(statSync(p, { throwIfNoEntry: false })?.isDirectory() ? join(p, 'ansible.cfg') : p);
  }
  // Ansible ignores ./ansible.cfg in a world-writable directory (anyone could plant one).
  if (!((statSync(cwd, { throwIfNoEntry: false })?.mode ?? 0) & 0o002)) candidates.push(join(cwd, 'ansible.cfg'));
  candidates.push(join(home, '.ansible.cfg'), place.systemFile ?? '/etc/ansible/ansible.cfg');
  return candidates.find((f) => statSync(f, { throwIfNoEntry: false })?.isFile());
}

/** Python configparser as Ansible sets it up: `key = value` or `key: value`, `;` also after a value. */
export function parseIniConfig(text: string, file: string): Map<string, { value: string; line: number }> {
  const out = new Map<string, { value: string; line: number }>();
  let section: string | undefined;
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) return;
    const head = /^\[([^\]]+)\]$/.exec(line);
    if (head) {
      section = head[1]!;
      return;
    }
    const kv = /^([^=:]+?)\s*[=:]\s*(.*)$/.exec(line);
    if (!kv || section === undefined) throw new InventoryError(`cannot parse ansible.cfg line: ${JSON.stringify(raw)}`, file, i + 1);
    out.set(`${section}\0${kv[1]!.toLowerCase()}`, { value: kv[2]!.replace(/\s+;.*$/, '').trim(), line: i + 1 });
  });
  return out;
}

const TRUE = ['y', 'yes', 'on', '1', 'true', 't', '1.0'];
const FALSE = ['n', 'no', 'off', '0', 'false', 'f', '0.0', ''];

function convert(kind: Kind, raw: string, base: string, home: string, where: () => string): unknown {
  if (kind === 'string') return raw;
  if (kind === 'path') return resolve(base, expandUser(raw, home));
  if (kind === 'list') return raw.split(',').map((p) => p.trim()).filter(Boolean);
  if (kind === 'pathlist') return raw.split(',').map((p) => p.trim()).filter(Boolean).map((p) => resolve(base, expandUser(p, home)));
  if (kind === 'int') {
    if (!/^\s*[+-]?\d+\s*$/.test(raw)) throw new InventoryError(`${where()}: not an integer: ${JSON.stringify(raw)}`);
    return Number(raw);
  }
  const v = raw.trim().toLowerCase();
  if (TRUE.includes(v)) return true;
  if (FALSE.includes(v)) return false;
  throw new InventoryError(`${where()}: not a boolean (yes/no, true/false, on/off, 1/0): ${JSON.stringify(raw)}`);
}

/** The config file's settings with ANSIBLE_* environment variables over them. */
export function loadAnsibleConfig(place: ConfigPlace = {}): AnsibleConfig {
  const env = place.env ?? process.env;
  const cwd = place.cwd ?? process.cwd();
  const home = place.home ?? env.HOME ?? homedir();
  const file = findConfigFile(place);
  const entries = file ? parseIniConfig(readFileSync(file, 'utf8'), file) : new Map<string, { value: string; line: number }>();
  const out: Record<string, unknown> = { file };
  for (const [key, [section, name, envName, kind]] of Object.entries(KEYS)) {
    const fromEnv = env[envName];
    if (fromEnv !== undefined) {
      out[key] = convert(kind, fromEnv, cwd, home, () => `environment variable ${envName}`);
      continue;
    }
    const e = entries.get(`${section}\0${name}`);
    if (e) out[key] = convert(kind, e.value, dirname(file!), home, () => `${file}:${e.line}: [${section}] ${name}`);
  }
  return out as AnsibleConfig;
}

/** `ANSIBLE_CONFIG` naming a file that does not exist is skipped by Ansible too; say which file is used. */
export function configFileLabel(cfg: AnsibleConfig): string {
  return cfg.file && existsSync(cfg.file) ? cfg.file : 'None';
}

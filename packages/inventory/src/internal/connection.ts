/**
 * Host variables → core ConnectionSpec / BecomeSpec.
 *
 * Precedence for every setting (first that is set wins):
 *   1. shipshape variables (`ss_host`, `ss_port`, ...; see CONNECTION_VARS),
 *   2. Ansible variables (`ansible_host`, `ansible_port`, ..., with their old `ansible_ssh_*` aliases),
 *   3. options in `ansible_ssh_common_args`, then `ansible_ssh_extra_args` (`-o K=V`, `-J`, `-i`, `-p`, `-l`),
 *   4. ~/.ssh/config computed for the destination (`ansible_host`, else the inventory name),
 *   5. core defaults.
 * Inventory values beat ssh_config because Ansible passes them to ssh as `-o` options, and
 * OpenSSH lets command-line options override the config file.
 */
import type { BecomeSpec, ConnectionSpec, HostKeyPolicy, Vars } from '@shipshape/core';
import { InventoryError } from '@shipshape/core';
import { connectionValue } from './secrets.js';
import { shlexSplit } from './shlex.js';
import { expandTokens, type SshConfigFile } from './sshconfig.js';

/** Connection variables, shipshape name first, then the Ansible names it accepts. */
export const CONNECTION_VARS = {
  host: ['ss_host', 'ansible_host', 'ansible_ssh_host'],
  port: ['ss_port', 'ansible_port', 'ansible_ssh_port'],
  user: ['ss_user', 'ansible_user', 'ansible_ssh_user', 'ansible_remote_user'],
  privateKeyFile: ['ss_private_key_file', 'ansible_ssh_private_key_file', 'ansible_private_key_file'],
  password: ['ss_password', 'ansible_password', 'ansible_ssh_pass', 'ansible_ssh_password'],
  connection: ['ss_connection', 'ansible_connection'],
  proxyJump: ['ss_proxy_jump'],
  hostKeyChecking: ['ss_host_key_checking', 'ansible_host_key_checking', 'ansible_ssh_host_key_checking'],
  knownHostsFile: ['ss_known_hosts_file'],
  connectTimeout: ['ss_connect_timeout', 'ansible_timeout', 'ansible_ssh_timeout'],
  become: ['ss_become', 'ansible_become'],
  becomeUser: ['ss_become_user', 'ansible_become_user'],
  becomePassword: ['ss_become_password', 'ansible_become_password', 'ansible_become_pass'],
  becomeMethod: ['ss_become_method', 'ansible_become_method'],
} as const;

function pick(vars: Vars, key: keyof typeof CONNECTION_VARS): unknown {
  for (const name of CONNECTION_VARS[key]) if (vars[name] !== undefined && vars[name] !== null) return vars[name];
  return undefined;
}

/** Ansible's boolean(): yes/no, true/false, on/off, 1/0. */
export function toBool(v: unknown): boolean {
  if (typeof v === 'boolean') return v;
  return ['yes', 'on', '1', 'true', 'y', 't'].includes(String(v).trim().toLowerCase());
}

interface SshArgs {
  user?: string;
  port?: number;
  identityFile?: string;
  proxyJump?: string;
  strict?: string;
  knownHosts?: string;
  hostName?: string;
  connectTimeout?: number;
}

/** Options from ssh command-line arguments; the first occurrence wins, as in OpenSSH. */
export function parseSshArgs(text: string, warn: (m: string) => void): SshArgs {
  const out: SshArgs = {};
  const set = <K extends keyof SshArgs>(k: K, v: SshArgs[K]): void => {
    if (out[k] === undefined) out[k] = v;
  };
  const argv = shlexSplit(text);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const flag = /^-([oJipl])(.*)$/.exec(a);
    if (!flag) {
      warn(`ssh argument ignored by shipshape: ${a}`);
      continue;
    }
    const value = flag[2] || argv[++i];
    if (value === undefined) throw new Error(`ssh option ${a} needs a value`);
    if (flag[1] === 'J') set('proxyJump', value);
    else if (flag[1] === 'i') set('identityFile', value);
    else if (flag[1] === 'p') set('port', Number.parseInt(value, 10));
    else if (flag[1] === 'l') set('user', value);
    else {
      const m = /^\s*([A-Za-z]+)\s*(?:=|\s)\s*(.*)$/.exec(value);
      if (!m) throw new Error(`bad ssh -o option: ${value}`);
      const [key, v] = [m[1]!.toLowerCase(), m[2]!.replace(/^"(.*)"$/, '$1')];
      if (key === 'stricthostkeychecking') set('strict', v.toLowerCase());
      else if (key === 'userknownhostsfile') set('knownHosts', v.split(/\s+/)[0]);
      else if (key === 'proxyjump') set('proxyJump', v);
      else if (key === 'port') set('port', Number.parseInt(v, 10));
      else if (key === 'user') set('user', v);
      else if (key === 'identityfile') set('identityFile', v);
      else if (key === 'hostname') set('hostName', v);
      else if (key === 'connecttimeout') set('connectTimeout', Number.parseInt(v, 10));
      else warn(`ssh option ignored by shipshape: -o ${value}`);
    }
  }
  return out;
}

export function hostKeyPolicy(value: string | undefined): HostKeyPolicy | undefined {
  if (value === undefined) return undefined;
  const v = value.toLowerCase();
  if (v === 'yes' || v === 'ask' || v === 'strict') return 'strict';
  if (v === 'accept-new') return 'accept-new';
  if (v === 'no' || v === 'off') return 'off';
  throw new Error(`unknown StrictHostKeyChecking value: ${value}`);
}

const str = (v: unknown): string | undefined => (v === undefined ? undefined : String(v));
const num = (v: unknown, what: string): number | undefined => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${what} must be a positive integer, got ${JSON.stringify(v)}`);
  return n;
};

/** One `[user@]host[:port]` (or `ssh://user@host:port`) ProxyJump element, resolved through ssh_config. */
function jumpSpec(text: string, ssh: SshConfigFile, depth: number): ConnectionSpec {
  const m = /^(?:ssh:\/\/)?(?:([^@]+)@)?(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(text.trim());
  if (!m) throw new Error(`bad ProxyJump host: ${text}`);
  const alias = m[2]!.replace(/^\[(.*)\]$/, '$1');
  const cfg = ssh.compute(alias);
  const jumps = depth < 8 && cfg.proxyJump && cfg.proxyJump !== 'none' ? jumpList(cfg.proxyJump, ssh, depth + 1) : undefined;
  return {
    type: 'ssh',
    host: cfg.hostName ?? alias,
    port: m[3] ? Number(m[3]) : cfg.port,
    user: m[1] ?? cfg.user,
    privateKeyPath: cfg.identityFile,
    proxyJump: jumps,
    hostKeyPolicy: hostKeyPolicy(cfg.strictHostKeyChecking),
    knownHostsFile: cfg.userKnownHostsFile,
  };
}

function jumpList(text: string, ssh: SshConfigFile, depth = 0): ConnectionSpec[] | undefined {
  if (text.trim().toLowerCase() === 'none') return undefined;
  return text.split(',').map((j) => jumpSpec(j, ssh, depth));
}

/** Strip undefined fields so specs compare and print cleanly. */
function compact<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

export function buildConnection(name: string, vars: Vars, ssh: SshConfigFile, warn: (m: string) => void): ConnectionSpec {
  try {
    const type = str(pick(vars, 'connection')) ?? 'ssh';
    if (type === 'local') return { type: 'local', host: name };
    if (!['ssh', 'smart', 'paramiko'].includes(type)) throw new Error(`unsupported connection type '${type}' (use ssh or local)`);
    const args: SshArgs = {};
    for (const v of [vars.ansible_ssh_common_args, vars.ansible_ssh_extra_args]) {
      if (v) for (const [k, val] of Object.entries(parseSshArgs(String(v), warn))) (args as Record<string, unknown>)[k] ??= val;
    }
    const alias = str(pick(vars, 'host')) ?? name;
    const cfg = ssh.compute(alias);
    const user = str(pick(vars, 'user')) ?? args.user ?? cfg.user;
    const jump = str(pick(vars, 'proxyJump')) ?? args.proxyJump ?? cfg.proxyJump;
    const hkc = pick(vars, 'hostKeyChecking');
    const key = str(pick(vars, 'privateKeyFile')) ?? args.identityFile;
    const timeout = num(pick(vars, 'connectTimeout'), 'connect timeout') ?? args.connectTimeout ?? cfg.connectTimeout;
    return compact<ConnectionSpec>({
      type: 'ssh',
      host: args.hostName ?? cfg.hostName ?? alias,
      port: num(pick(vars, 'port'), 'port') ?? args.port ?? cfg.port,
      user,
      privateKeyPath: key ? expandTokens(key, { h: alias, r: user }) : cfg.identityFile,
      password: connectionValue(pick(vars, 'password'), `password of ${name}`, warn),
      proxyJump: jump ? jumpList(jump, ssh) : undefined,
      hostKeyPolicy:
        hkc !== undefined ? (toBool(hkc) ? 'strict' : 'off') : hostKeyPolicy(args.strict ?? cfg.strictHostKeyChecking),
      knownHostsFile: str(vars.ss_known_hosts_file) ?? args.knownHosts ?? cfg.userKnownHostsFile,
      connectTimeoutMs: timeout === undefined ? undefined : timeout * 1000,
    });
  } catch (e) {
    if (e instanceof InventoryError) throw e;
    throw new InventoryError(`host ${name}: ${(e as Error).message}`, undefined, undefined, { cause: e });
  }
}

export function buildBecome(name: string, vars: Vars, warn: (m: string) => void): BecomeSpec | undefined {
  const enabled = pick(vars, 'become');
  const user = str(pick(vars, 'becomeUser'));
  const password = pick(vars, 'becomePassword');
  const method = str(pick(vars, 'becomeMethod'));
  if (enabled === undefined && user === undefined && password === undefined && method === undefined) return undefined;
  if (method !== undefined && method !== 'sudo') warn(`host ${name}: become method '${method}' is not supported, using sudo`);
  return compact<BecomeSpec>({
    enabled: enabled === undefined ? false : toBool(enabled),
    user,
    password: connectionValue(password, `become password of ${name}`, warn),
    method: 'sudo',
  });
}

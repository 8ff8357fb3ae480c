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
import { InventoryValueError } from './errors.js';

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

/** The variable that sets a connection setting (shipshape name first), if any. */
function nameOf(vars: Vars, key: keyof typeof CONNECTION_VARS): string | undefined {
  return CONNECTION_VARS[key].find((name) => vars[name] !== undefined && vars[name] !== null);
}

function pick(vars: Vars, key: keyof typeof CONNECTION_VARS): unknown {
  const name = nameOf(vars, key);
  return name === undefined ? undefined : vars[name];
}

/**
 * Settings from outside the inventory (ansible.cfg, ANSIBLE_* variables, command-line flags such as
 * `-u`, `--private-key`, `-b`): below the host's own variables, as in Ansible, where a connection
 * variable beats the flag.
 */
export interface ConnectionDefaults {
  /** -c: the connection type when ansible_connection is not set (ssh, smart, paramiko or local). */
  readonly connection?: string;
  readonly user?: string;
  readonly privateKeyFile?: string;
  /** false: StrictHostKeyChecking=no (Ansible passes it before any ssh argument of the inventory). */
  readonly hostKeyChecking?: boolean;
  /** Seconds. */
  readonly timeout?: number;
  readonly become?: boolean;
  readonly becomeUser?: string;
  readonly becomeMethod?: string;
  readonly becomePassword?: unknown;
}

/** A connection variable whose value cannot be used; the inventory adds where it was set. */
export class BadConnectionValue extends InventoryValueError {
  constructor(
    /** The variable (or `inventory_hostname` for the host's own name). */
    readonly variable: string,
    readonly value: unknown,
    message: string,
  ) {
    super(`${variable}: ${message}`);
  }
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
  knownHosts?: string | string[];
  globalKnownHosts?: string | string[];
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
    if (value === undefined) throw new InventoryValueError(`ssh option ${a} needs a value`);
    if (flag[1] === 'J') set('proxyJump', value);
    else if (flag[1] === 'i') set('identityFile', value);
    else if (flag[1] === 'p') set('port', portNumber(value));
    else if (flag[1] === 'l') set('user', value);
    else {
      const m = /^\s*([A-Za-z]+)\s*(?:=|\s)\s*(.*)$/.exec(value);
      if (!m) throw new InventoryValueError(`bad ssh -o option: ${value}`);
      const [key, v] = [m[1]!.toLowerCase(), m[2]!.replace(/^"(.*)"$/, '$1')];
      if (key === 'stricthostkeychecking') set('strict', hostKeyPolicy(v) && v.toLowerCase());
      else if (key === 'userknownhostsfile') set('knownHosts', fileList(v));
      else if (key === 'globalknownhostsfile') set('globalKnownHosts', fileList(v));
      else if (key === 'proxyjump') set('proxyJump', v);
      else if (key === 'port') set('port', portNumber(v));
      else if (key === 'user') set('user', v);
      else if (key === 'identityfile') set('identityFile', v);
      else if (key === 'hostname') set('hostName', v);
      else if (key === 'connecttimeout') set('connectTimeout', positive(v, 'ConnectTimeout'));
      else warn(`ssh option ignored by shipshape: -o ${value}`);
    }
  }
  return out;
}

/**
 * StrictHostKeyChecking as OpenSSH reads it (any case): yes/true and ask (no one to ask here)
 * check strictly, accept-new, no/false/off.
 */
export function hostKeyPolicy(value: string | undefined): HostKeyPolicy | undefined {
  if (value === undefined) return undefined;
  const v = value.toLowerCase();
  if (v === 'yes' || v === 'true' || v === 'ask') return 'strict';
  if (v === 'accept-new') return 'accept-new';
  if (v === 'no' || v === 'false' || v === 'off') return 'off';
  throw new InventoryValueError(`unsupported StrictHostKeyChecking value ${JSON.stringify(value)} (yes, accept-new, no, ask)`);
}

/** UserKnownHostsFile / GlobalKnownHostsFile: one or more files, blank-separated. */
const fileList = (v: string): string | string[] => {
  const files = v.trim().split(/\s+/);
  return files.length === 1 ? files[0]! : files;
};

const str = (v: unknown): string | undefined => (v === undefined ? undefined : String(v));
function positive(v: unknown, what: string): number {
  const n = typeof v === 'number' ? v : /^\s*\d+\s*$/.test(String(v)) ? Number(v) : Number.NaN;
  if (!Number.isInteger(n) || n <= 0) throw new InventoryValueError(`${what} must be a positive integer, got ${JSON.stringify(v)}`);
  return n;
}
function portNumber(v: unknown): number {
  const n = positive(v, 'port');
  if (n > 65535) throw new InventoryValueError(`port must be 1..65535, got ${JSON.stringify(v)}`);
  return n;
}
/** Read one setting, naming the variable when its value is unusable. */
function checked<T>(vars: Vars, key: keyof typeof CONNECTION_VARS, parse: (v: unknown) => T): T | undefined {
  const name = nameOf(vars, key);
  if (name === undefined) return undefined;
  try {
    return parse(vars[name]);
  } catch (e) {
    throw new BadConnectionValue(name, vars[name], (e as Error).message);
  }
}

/**
 * A host address ssh could use: not empty, no blanks, control characters or undecodable bytes,
 * no leading `-`, none of the characters OpenSSH refuses in a host name.
 */
function checkAddress(host: string): void {
  // eslint-disable-next-line no-control-regex
  const bad = /[\s\x00-\x1f\x7f-\x9f\ufffd'`"$\\;&<>|(){}]/u.exec(host);
  if (!host || host.startsWith('-') || bad) {
    throw new InventoryValueError(`not a usable host name or address: ${JSON.stringify(host)}${bad ? ` (character ${JSON.stringify(bad[0])})` : ''}`);
  }
}

/** One `[user@]host[:port]` (or `ssh://user@host:port`) ProxyJump element, resolved through ssh_config. */
function jumpSpec(text: string, ssh: SshConfigFile, depth: number): ConnectionSpec {
  const m = /^(?:ssh:\/\/)?(?:([^@]+)@)?(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(text.trim());
  if (!m) throw new InventoryValueError(`bad ProxyJump host: ${text}`);
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

export function buildConnection(name: string, vars: Vars, ssh: SshConfigFile, warn: (m: string) => void, defaults: ConnectionDefaults = {}): ConnectionSpec {
  try {
    const type = checked(vars, 'connection', (v) => {
      const t = String(v);
      if (!['ssh', 'smart', 'paramiko', 'local'].includes(t)) throw new InventoryValueError(`unsupported connection type '${t}' (use ssh or local)`);
      return t;
    }) ?? defaults.connection ?? 'ssh';
    if (type === 'local') return { type: 'local', host: name };
    const args: SshArgs = {};
    for (const k of ['ansible_ssh_common_args', 'ansible_ssh_extra_args']) {
      if (!vars[k]) continue;
      let parsed: SshArgs;
      try {
        parsed = parseSshArgs(String(vars[k]), warn);
      } catch (e) {
        throw new BadConnectionValue(k, vars[k], (e as Error).message);
      }
      for (const [key, val] of Object.entries(parsed)) (args as Record<string, unknown>)[key] ??= val;
    }
    const alias = str(pick(vars, 'host')) ?? name;
    try {
      checkAddress(alias);
    } catch (e) {
      throw new BadConnectionValue(nameOf(vars, 'host') ?? 'inventory_hostname', alias, (e as Error).message);
    }
    const cfg = ssh.compute(alias);
    const user = str(pick(vars, 'user')) ?? defaults.user ?? args.user ?? cfg.user;
    const jump = str(pick(vars, 'proxyJump')) ?? args.proxyJump ?? cfg.proxyJump;
    const hkc = pick(vars, 'hostKeyChecking');
    const hostKeyChecking = hkc !== undefined ? toBool(hkc) : defaults.hostKeyChecking;
    const key = str(pick(vars, 'privateKeyFile')) ?? defaults.privateKeyFile ?? args.identityFile;
    const timeout = checked(vars, 'connectTimeout', (v) => positive(v, 'connect timeout')) ?? defaults.timeout ?? args.connectTimeout ?? cfg.connectTimeout;
    let policy: HostKeyPolicy | undefined;
    try {
      policy = hostKeyPolicy(args.strict ?? cfg.strictHostKeyChecking);
    } catch (e) {
      throw new InventoryError(`host ${name}: ${(e as Error).message}`, ssh.path, undefined, { cause: e });
    }
    return compact<ConnectionSpec>({
      type: 'ssh',
      host: args.hostName ?? cfg.hostName ?? alias,
      port: checked(vars, 'port', portNumber) ?? args.port ?? cfg.port,
      user,
      privateKeyPath: key ? expandTokens(key, { h: alias, r: user }) : cfg.identityFile,
      password: connectionValue(pick(vars, 'password'), `password of ${name}`, warn),
      proxyJump: jump ? jumpList(jump, ssh) : undefined,
      // host_key_checking true adds nothing to ssh's arguments: the inventory's StrictHostKeyChecking decides.
      hostKeyPolicy: hostKeyChecking === false ? 'off' : policy,
      knownHostsFile: str(vars.ss_known_hosts_file) ?? args.knownHosts ?? cfg.userKnownHostsFile,
      globalKnownHostsFile: args.globalKnownHosts,
      connectTimeoutMs: timeout === undefined ? undefined : timeout * 1000,
    });
  } catch (e) {
    if (e instanceof InventoryError || e instanceof BadConnectionValue) throw e;
    throw new InventoryError(`host ${name}: ${(e as Error).message}`, undefined, undefined, { cause: e });
  }
}

export function buildBecome(name: string, vars: Vars, warn: (m: string) => void, defaults: ConnectionDefaults = {}): BecomeSpec | undefined {
  const enabled = pick(vars, 'become') ?? defaults.become;
  const user = str(pick(vars, 'becomeUser')) ?? defaults.becomeUser;
  const password = pick(vars, 'becomePassword') ?? defaults.becomePassword;
  const method = str(pick(vars, 'becomeMethod')) ?? defaults.becomeMethod;
  if (enabled === undefined && user === undefined && password === undefined && method === undefined) return undefined;
  if (method !== undefined && method !== 'sudo') warn(`host ${name}: become method '${method}' is not supported, using sudo`);
  return compact<BecomeSpec>({
    enabled: enabled === undefined ? false : toBool(enabled),
    user,
    password: connectionValue(password, `become password of ${name}`, warn),
    method: 'sudo',
  });
}

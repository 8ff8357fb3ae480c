import { existsSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, resolve } from 'node:path';
import { loadInventory, type ConnectionDefaults } from '@shipshape/inventory';
import { ArgumentError, InventoryError, maskDeep, run, type HostSpec, type InventoryView, type PlaybookDef, type Reporter, type RunOptions, type RunSummary, type Vars } from '@shipshape/core';
import { loadAnsibleConfig, type AnsibleConfig } from './config.js';
import { askPassword } from './prompt.js';
import { jsonCollector } from './reporters/json.js';
import { plainReporter } from './reporters/plain.js';
import { makeChalk } from './reporters/style.js';
import type { ChalkInstance } from 'chalk';

export const EXIT = { ok: 0, usage: 1, failed: 2, unreachable: 4, interrupted: 130, terminated: 143 } as const;

export interface CommonArgs {
  readonly inventory?: string[];
  readonly check?: boolean;
  readonly diff?: boolean;
  readonly limit?: string;
  readonly tags?: string[];
  readonly skipTags?: string[];
  readonly forks?: number;
  /** Seconds a task may run on one host (0: no limit). */
  readonly taskTimeout?: number;
  readonly json?: boolean;
  /**
   * Let tasks that deliver a secret (a new Xen guest's root password) also print it once, straight to the
   * terminal's stderr, never through events or --json: the run gets `shipshape_show_secrets: true`.
   */
  readonly showSecrets?: boolean;
  readonly verbose?: number;
  readonly vaultPasswordFile?: string;
  /** --vault-id `[label@]file` (repeatable); prompting is not supported. */
  readonly vaultId?: readonly string[];
  readonly startAtTask?: string;
  /** -c: connection type (below ansible_connection, as in Ansible). */
  readonly connection?: string;
  /** -u: remote user (below ansible_user, as in Ansible). */
  readonly user?: string;
  readonly privateKey?: string;
  /** -T: connection timeout in seconds. */
  readonly timeout?: number;
  readonly become?: boolean;
  readonly becomeUser?: string;
  readonly becomeMethod?: string;
  readonly askBecomePass?: boolean;
  readonly syntaxCheck?: boolean;
}

/** `-i` sources, or `./inventory` as Ansible's default; without either, say how to get one. */
export function inventorySources(given: readonly string[] | undefined, cwd = process.cwd()): string[] {
  if (given?.length) return [...given];
  if (existsSync(resolve(cwd, 'inventory'))) return ['inventory'];
  throw new InventoryError(
    'no inventory: give one with -i FILE (an Ansible INI or YAML inventory, a directory or a script), or create ./inventory.\n' +
      'To try shipshape on test hosts of its own: shipshape lab up, then -i $(shipshape lab inventory)',
  );
}

/** `vault_password_file` from the [defaults] section of an ansible.cfg; relative to the file, as in Ansible. */
function cfgVaultPasswordFile(cfg: string): string | undefined {
  let section = '';
  for (const raw of readFileSync(cfg, 'utf8').split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    const head = /^\[(.+)\]$/.exec(line);
    if (head) section = head[1]!.trim();
    const kv = /^vault_password_file\s*[=:]\s*(.*)$/.exec(line);
    if (section === 'defaults' && kv?.[1]) return resolve(dirname(cfg), kv[1].replace(/^~(?=\/|$)/, homedir()));
  }
  return undefined;
}

/**
 * The vault password file when --vault-password-file names none: ANSIBLE_VAULT_PASSWORD_FILE, as in
 * Ansible, else `vault_password_file` of an ansible.cfg beside an inventory file (the lab writes one
 * there; Ansible reads ansible.cfg only from ANSIBLE_CONFIG, ./, ~/ and /etc/ansible/).
 */
export function vaultPasswordFileFor(sources: readonly string[], given?: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (given !== undefined) return given;
  if (env.ANSIBLE_VAULT_PASSWORD_FILE) return env.ANSIBLE_VAULT_PASSWORD_FILE;
  for (const s of sources) {
    const cfg = resolve(dirname(resolve(s)), 'ansible.cfg');
    const file = statSync(s, { throwIfNoEntry: false })?.isFile() && existsSync(cfg) ? cfgVaultPasswordFile(cfg) : undefined;
    if (file) return file;
  }
  return undefined;
}

/** The password file of a vault id, `label@file` or `file` (the label only names it: every secret is tried). */
function vaultIdFile(id: string, where: string): string {
  const at = id.indexOf('@');
  const source = at < 0 ? id : id.slice(at + 1);
  if (source === 'prompt' || source === '') {
    throw new ArgumentError(`${where} ${JSON.stringify(id)}: prompting for a vault password is not supported; give a password file (label@FILE)`, 'vault-id', id);
  }
  return source;
}

/**
 * Every vault password file of a command, as Ansible gathers its vault secrets: vault_identity_list
 * (ansible.cfg or ANSIBLE_VAULT_IDENTITY_LIST), then each --vault-id, then --vault-password-file; with
 * none of them, the one default password file (vaultPasswordFileFor). A value is decrypted with whichever
 * of them opens it.
 */
export function vaultPasswordFiles(sources: readonly string[], args: { vaultId?: readonly string[]; vaultPasswordFile?: string }, cfg: AnsibleConfig, env: NodeJS.ProcessEnv = process.env): string[] {
  const files = [
    ...(cfg.vaultIdentityList ?? []).map((id) => vaultIdFile(id, 'vault_identity_list')),
    ...(args.vaultId ?? []).map((id) => vaultIdFile(id, '--vault-id')),
    ...(args.vaultPasswordFile !== undefined ? [args.vaultPasswordFile] : []),
  ];
  if (files.length) return files;
  const one = vaultPasswordFileFor(sources, cfg.vaultPasswordFile, env);
  return one === undefined ? [] : [one];
}

/** Connection and become settings: command-line flags over ANSIBLE_* variables over ansible.cfg. */
async function connectionDefaults(args: CommonArgs, cfg: AnsibleConfig): Promise<ConnectionDefaults> {
  const ask = !args.syntaxCheck && (args.askBecomePass ?? cfg.becomeAskPass);
  return {
    connection: args.connection,
    user: args.user ?? cfg.remoteUser,
    privateKeyFile: args.privateKey !== undefined ? resolve(args.privateKey) : cfg.privateKeyFile,
    hostKeyChecking: cfg.hostKeyChecking,
    timeout: args.timeout ?? cfg.timeout,
    become: args.become ?? cfg.become,
    becomeUser: args.becomeUser ?? cfg.becomeUser,
    becomeMethod: args.becomeMethod ?? cfg.becomeMethod,
    becomePassword: ask ? await askPassword('BECOME password: ') : undefined,
  };
}

export async function openInventory(args: CommonArgs, extraVars: Vars, playbookFile?: string) {
  const cfg = loadAnsibleConfig();
  const sources = inventorySources(args.inventory?.length ? args.inventory : cfg.inventory);
  return loadInventory(sources, {
    playbookDir: playbookFile ? dirname(playbookFile) : undefined,
    extraVars,
    vaultPasswordFile: vaultPasswordFiles(sources, args, cfg),
    connectionDefaults: await connectionDefaults(args, cfg),
  });
}

/**
 * Unusable connection values (a bad port, StrictHostKeyChecking=maybe, a garbage host name) of the
 * hosts a run targets are inventory errors, thrown before any host is touched.
 */
export function checkTargets(inventory: { select(pattern: string, limit?: string): readonly HostSpec[] }, patterns: readonly string[], limit?: string): void {
  for (const p of patterns) for (const h of inventory.select(p, limit)) void h.connection;
}

/**
 * A --limit that leaves no host is an error before anything runs, in Ansible's words (exit 1);
 * the warnings that say which pattern matched nothing come first.
 */
export function requireLimitHosts(selection: { hosts: readonly unknown[]; warnings: readonly string[] }): void {
  if (selection.hosts.length > 0) return;
  for (const w of selection.warnings) process.stderr.write(`[WARNING]: ${w}\n`);
  throw new ArgumentError('Specified inventory, host pattern and/or --limit leaves us with no hosts to target.', 'limit');
}

/** --syntax-check: everything is loaded and checked (the targets' connection values too); no host is touched. */
export function syntaxChecked(inventory: Parameters<typeof checkTargets>[0], patterns: readonly string[], limit?: string, what?: string): number {
  checkTargets(inventory, patterns, limit);
  if (what) process.stdout.write(`\n${what}\n`);
  return EXIT.ok;
}

export function exitCodeOf(s: RunSummary): number {
  if (s.aborted) return EXIT.interrupted;
  if (s.failedHosts.length) return EXIT.failed;
  if (s.unreachableHosts.length) return EXIT.unreachable;
  return EXIT.ok;
}

/** Run with the reporter the output calls for, Ctrl-C handling, and the exit code of the contract. */
export async function runWithReporters(
  pb: PlaybookDef, inventory: InventoryView, args: CommonArgs, extraVars: Vars, warnings: readonly string[] = [],
  /** `playbook_dir`: the playbook's directory; ad-hoc runs use the working directory, as Ansible does. */
  playbookDir: string = process.cwd(),
  /** A view of its own instead of the live and plain ones (ad-hoc runs print as Ansible's `ansible` does). */
  ownView?: (chalk: ChalkInstance) => Reporter,
  /** What runs the playbook: the in-process runner, or queue mode's controller. */
  runner: (pb: PlaybookDef, options: RunOptions) => Promise<RunSummary> = run,
): Promise<number> {
  const out = process.stdout;
  const json = args.json ? jsonCollector() : undefined;
  const write = (s: string) => (json ? process.stderr : out).write(`${s}\n`);
  const chalk = makeChalk(json ? process.stderr : out);
  const own = !json && ownView ? ownView(chalk) : undefined;
  const tty = !json && !own && out.isTTY && (args.verbose ?? 0) === 0;
  // listr2 loads only for a live TTY view.
  const live = tty ? (await import('./reporters/listr.js')).listrReporter({ chalk, diff: !!args.diff, write }) : undefined;
  const plain = !tty && !json && !own ? plainReporter({ write, chalk, verbosity: args.verbose ?? 0, diff: !!args.diff }) : undefined;
  const reporter: Reporter = (e) => {
    json?.reporter(e);
    own?.(e);
    live?.(e);
    plain?.(e);
  };
  for (const w of warnings) reporter(maskDeep({ type: 'warning', msg: w }));
  checkTargets(inventory, pb.plays.map((p) => p.hosts ?? 'all'), args.limit);
  // Ctrl-C and SIGTERM alike: no new task starts, in-flight tasks (and their writes) finish, the
  // recap prints; the same signal again stops at once.
  const abort = new AbortController();
  let stoppedBy: NodeJS.Signals | undefined;
  const exitFor = (sig: NodeJS.Signals) => (sig === 'SIGTERM' ? EXIT.terminated : EXIT.interrupted);
  const onSignal = (sig: NodeJS.Signals) => {
    if (abort.signal.aborted) process.exit(exitFor(stoppedBy ?? sig));
    stoppedBy = sig;
    const again = sig === 'SIGINT' ? 'press Ctrl-C again' : 'send SIGTERM again';
    process.stderr.write(`\n${sig === 'SIGINT' ? 'interrupt' : 'terminated'}: finishing in-flight tasks, ${again} to abort at once\n`);
    abort.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const summary = await runner(pb, {
      inventory, extraVars: args.showSecrets ? { ...extraVars, shipshape_show_secrets: true } : extraVars, check: args.check, diff: args.diff, limit: args.limit, tags: args.tags, skipTags: args.skipTags,
      forks: args.forks ?? loadAnsibleConfig().forks, taskTimeout: args.taskTimeout, startAtTask: args.startAtTask, playbookDir, onEvent: reporter, signal: abort.signal,
    });
    await live?.flush();
    if (json) out.write(`${JSON.stringify(json.document(), null, 2)}\n`);
    return summary.aborted && stoppedBy ? exitFor(stoppedBy) : exitCodeOf(summary);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/**
 * `loadInventory`: parse every source into one graph, reconcile it like Ansible, then resolve
 * each host's variables (Ansible's precedence) and connection.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { BecomeSpec, ConnectionSpec, HostSpec, InventoryView, Vars } from '@shipshape/core';
import { hasTemplates, InventoryError, loadJinja, mergeVars } from '@shipshape/core';
import { InventoryData, type Group, type HostEntry, type Origin } from './internal/model.js';
import { parseSource } from './internal/sources.js';
import { VarFiles } from './internal/varfiles.js';
import { PatternMatcher } from './internal/patterns.js';
import { SshConfigFile } from './internal/sshconfig.js';
import { BadConnectionValue, buildBecome, buildConnection, type ConnectionDefaults } from './internal/connection.js';
import { readVaultPassword } from './internal/vault.js';

export interface LoadInventoryOptions {
  /** Directory of the playbook: its group_vars/ and host_vars/ apply after the inventory's. */
  readonly playbookDir?: string;
  /** Extra variables (`-e`): they win over everything. */
  readonly extraVars?: Vars;
  /** File(s) holding a vault password (or executables printing one); `label@file` accepted. */
  readonly vaultPasswordFile?: string | readonly string[];
  /** ssh_config file to honour. @default '~/.ssh/config' (ignored when missing); false: none */
  readonly sshConfigPath?: string | false;
  /** Connection and become settings from ansible.cfg, ANSIBLE_* variables or flags: below host variables. */
  readonly connectionDefaults?: ConnectionDefaults;
}

/** A group as loaded: direct members and relations, in inventory order. */
export interface InventoryGroup {
  readonly name: string;
  /** Hosts listed directly in this group. */
  readonly hosts: readonly string[];
  readonly children: readonly string[];
  readonly parents: readonly string[];
  /** Variables set on the group in the inventory source itself. */
  readonly vars: Vars;
  readonly priority: number;
}

/** A loaded inventory; implements core's InventoryView. */
export class Inventory implements InventoryView {
  readonly hosts: readonly HostSpec[];
  readonly groups: ReadonlyMap<string, InventoryGroup>;
  /** Warnings met while loading and selecting (unknown pattern names, ignored keys...). */
  readonly warnings: string[];
  private readonly byName: Map<string, HostSpec>;

  /** @internal */
  constructor(
    private readonly data: InventoryData,
    specs: HostSpec[],
    warnings: string[],
  ) {
    this.hosts = specs;
    this.byName = new Map(specs.map((s) => [s.name, s]));
    this.warnings = warnings;
    this.groups = new Map([...data.groups.values()].map((g) => [g.name, groupInfo(g)]));
  }

  /** Hosts matching an Ansible pattern, optionally restricted by a --limit pattern. */
  select(pattern: string, limit?: string): HostSpec[] {
    return this.selectWithWarnings(pattern, limit).hosts;
  }

  /** Like select, also returning the warnings this selection produced. */
  selectWithWarnings(pattern: string, limit?: string): { hosts: HostSpec[]; warnings: string[] } {
    const m = new PatternMatcher(this.data);
    const hosts = m.select(pattern, limit).map((h) => this.byName.get(h.name)!);
    this.warnings.push(...m.warnings);
    return { hosts, warnings: m.warnings };
  }

  /** The source that first named the host: Ansible's `inventory_file` and `inventory_dir`. */
  hostSource(host: string): { readonly file: string; readonly dir: string } | undefined {
    return this.data.hosts.get(host)?.source;
  }

  /** A host's groups, sorted, without `all` (Ansible's `group_names`). */
  groupNames(host: string): string[] {
    return this.data.groupNames(host);
  }

  /** Every group with all its hosts, descendants included (Ansible's `groups`). */
  groupMembers(): Record<string, string[]> {
    return this.data.groupMembers();
  }

  /** All variables of a host after precedence (the values `--host` prints). */
  hostVars(name: string): Vars {
    const spec = this.byName.get(name);
    if (!spec) throw new InventoryError(`unknown host: ${name}`);
    return spec.vars;
  }

  /** @internal group objects for renderers */
  rawGroup(name: string): Group | undefined {
    return this.data.groups.get(name);
  }
}

function groupInfo(g: Group): InventoryGroup {
  return {
    name: g.name,
    hosts: g.hosts.map((h) => h.name),
    children: g.children.map((c) => c.name),
    parents: g.parents.map((p) => p.name),
    vars: g.vars,
    priority: g.priority,
  };
}

/**
 * Load one or more inventory sources (files, directories, `a,b` host lists).
 * @example
 * const inv = await loadInventory('inventory/prod.ini', { playbookDir: 'playbooks', vaultPasswordFile: '.vault_pass' });
 * inv.select('web:&prod:!web3').map((h) => h.name);
 */
export async function loadInventory(sources: string | readonly string[], options: LoadInventoryOptions = {}): Promise<Inventory> {
  // `a,b` is a host list unless a file of that name exists (Ansible's rule)
  const list = (typeof sources === 'string' ? [sources] : [...sources]).map((s) =>
    s.includes(',') && !existsSync(s) ? s : resolve(s),
  );
  if (!list.length) throw new InventoryError('no inventory source given');
  const passwordFiles = options.vaultPasswordFile === undefined ? [] : [options.vaultPasswordFile].flat();
  const vaultPasswords = passwordFiles.map(readPassword);
  const warnings: string[] = [];
  const data = new InventoryData();
  for (const source of list) await parseSource(data, source, { vaultPasswords, warnings });
  data.at = undefined;
  data.source = undefined;
  data.reconcile();
  for (const n of data.groups.keys()) if (data.hosts.has(n)) warnings.push(`Found both group and host with same name: ${n}`);

  const files = new VarFiles({ vaultPasswords });
  const ssh = await SshConfigFile.load(options.sshConfigPath);
  const resolver = new VarResolver(data, files, VarFiles.sourceDirs(list), options.playbookDir, options.extraVars ?? {});
  const warn = (m: string): void => void warnings.push(m);
  const resolved: [HostEntry, Vars][] = [];
  for (const h of data.allHostsInOrder()) resolved.push([h, await resolver.vars(h)]);
  // Connection vars may be templates (`ansible_host: "10.0.0.{{ n }}"`): they are read rendered.
  const jinja = resolved.some(([, v]) => hasTemplates(v)) ? await loadJinja() : undefined;
  const groups = data.groupMembers();
  const rendered = (h: HostEntry, vars: Vars): Vars => {
    if (!jinja) return vars;
    const magic = { inventory_hostname: h.name, inventory_hostname_short: h.name.split('.')[0], group_names: data.groupNames(h.name), groups };
    return mergeVars([vars, magic], jinja.templateValue);
  };
  const specs = resolved.map(([h, vars]) => hostSpec(h, vars, rendered(h, vars), ssh, warn, (key) => resolver.origin(h, key), options.connectionDefaults));
  return new Inventory(data, specs, warnings);
}

function readPassword(file: string): string {
  try {
    return readVaultPassword(file);
  } catch (e) {
    throw new InventoryError(`cannot read vault password: ${(e as Error).message}`, file, undefined, { cause: e });
  }
}

/**
 * `vars` are the host's vars as written (what --host prints); `rendered` the same with templates
 * rendered on read, for the connection.
 * A host whose connection variables are unusable (bad port, unsupported ansible_connection...)
 * still lists, like in ansible-inventory: the error is a warning at load and is thrown when the
 * connection is used, as an InventoryError naming where the bad value was set.
 */
function hostSpec(
  h: HostEntry, vars: Vars, rendered: Vars, ssh: SshConfigFile, warn: (m: string) => void, origin: (key: string) => Origin | undefined, defaults?: ConnectionDefaults,
): HostSpec {
  let connection: ConnectionSpec | undefined;
  let become: BecomeSpec | undefined;
  try {
    connection = buildConnection(h.name, rendered, ssh, warn, defaults);
    become = buildBecome(h.name, rendered, warn, defaults);
  } catch (err) {
    let e = err;
    if (err instanceof BadConnectionValue) {
      const at = err.variable === 'inventory_hostname' ? h.defined : origin(err.variable);
      e = new InventoryError(`host ${/^[\w.:@[\]-]+$/.test(h.name) ? h.name : JSON.stringify(h.name)}: ${err.message}`, at?.file, at?.line, { cause: err });
    }
    warn((e as Error).message);
    const spec = { name: h.name, vars } as HostSpec;
    Object.defineProperty(spec, 'connection', {
      enumerable: true,
      get() {
        throw e;
      },
    });
    return spec;
  }
  return become ? { name: h.name, vars, connection, become } : { name: h.name, vars, connection };
}

/** Ansible's VariableManager order for one host (see the precedence list in README). */
class VarResolver {
  constructor(
    private readonly data: InventoryData,
    private readonly files: VarFiles,
    private readonly sourceDirs: readonly string[],
    private readonly playbookDir: string | undefined,
    private readonly extraVars: Vars,
  ) {}

  private async side(dirs: readonly string[], sub: 'group_vars' | 'host_vars', names: string[]): Promise<Vars> {
    let out: Vars = {};
    for (const d of dirs) out = { ...out, ...(await this.files.load(d, sub, names)) };
    return out;
  }

  /** Where `key` got the value vars(h) gives it: the same layers, highest precedence first. */
  origin(h: HostEntry, key: string): Origin | undefined {
    if (this.extraVars[key] !== undefined) return { file: 'extra vars (-e)' };
    const all = this.data.groups.get('all')!;
    const groups = this.data.sortGroups(h.groups().filter((g) => g !== all));
    const play = this.playbookDir ? [resolve(this.playbookDir)] : [];
    const fromFiles = (dirs: readonly string[], sub: 'group_vars' | 'host_vars', names: string[]): Origin | undefined => {
      for (const d of [...dirs].reverse()) {
        const file = this.files.originOf(d, sub, names, key);
        if (file) return { file };
      }
      return undefined;
    };
    const names = groups.map((g) => g.name);
    return fromFiles(play, 'host_vars', [h.name]) ?? fromFiles(this.sourceDirs, 'host_vars', [h.name]) ?? h.origins[key]
      ?? fromFiles(play, 'group_vars', names) ?? fromFiles(this.sourceDirs, 'group_vars', names)
      ?? fromFiles(play, 'group_vars', ['all']) ?? fromFiles(this.sourceDirs, 'group_vars', ['all'])
      ?? [...groups].reverse().map((g) => g.origins[key]).find(Boolean) ?? all.origins[key];
  }

  async vars(h: HostEntry): Promise<Vars> {
    const all = this.data.groups.get('all')!;
    const groups = this.data.sortGroups(h.groups().filter((g) => g !== all));
    const names = groups.map((g) => g.name);
    const play = this.playbookDir ? [resolve(this.playbookDir)] : [];
    let v: Vars = { ...all.vars };
    for (const g of groups) v = { ...v, ...g.vars };
    v = { ...v, ...(await this.side(this.sourceDirs, 'group_vars', ['all'])), ...(await this.side(play, 'group_vars', ['all'])) };
    v = { ...v, ...(await this.side(this.sourceDirs, 'group_vars', names)), ...(await this.side(play, 'group_vars', names)) };
    v = { ...v, ...h.vars };
    v = { ...v, ...(await this.side(this.sourceDirs, 'host_vars', [h.name])), ...(await this.side(play, 'host_vars', [h.name])) };
    return { ...v, ...this.extraVars };
  }
}

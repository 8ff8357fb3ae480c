import { cmd, script, sh, changes, defineModule, noChange, whichFact, ModuleError, type Command, type Plan } from '@shipshape/core';
import { z } from 'zod';
import { withAliases } from '../edit/file-module.js';
import { parseSections, sectionsCommand } from '../internal/sections.js';
import { boolSchema } from '../internal/schemas.js';

const pkgName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9+._:=~-]*$/, 'package names are letters, digits and + . _ : = ~ -');

export const packageSchema = withAliases(z
  .object({
    /** One package or a list (installed or removed in one transaction). `name=version` pins on apt and apk. */
    name: z.union([pkgName, z.array(pkgName).min(1)]).transform((v) => (Array.isArray(v) ? v : [v])).describe('One package or a list (installed or removed in one transaction). `name=version` pins on apt and apk.'),
    /** present (installed): installed; absent (removed): not installed; latest: installed and upgraded. @default 'present' */
    state: z.enum(['present', 'installed', 'absent', 'removed', 'latest']).default('present')
      .transform((s) => (s === 'installed' ? 'present' : s === 'removed' ? 'absent' : s))
      .describe('present (installed): installed; absent (removed): not installed; latest: installed and upgraded.'),
    /** Refresh the package index first (apt-get update, apk update, dnf makecache). */
    update_cache: boolSchema.default(false).describe('Refresh the package index first (apt-get update, apk update, dnf makecache).'),
    /** Package manager to use; auto: the host's own (apt, dnf, yum or apk). @default 'auto' (the first of apt-get, dnf, yum, apk found on the host) */
    use: z.enum(['auto', 'apt', 'dnf', 'yum', 'apk']).default('auto').describe('Package manager to use; auto: the host\'s own (apt, dnf, yum or apk).'),
  })
  .strict(), { pkg: 'name' });

export type PackageArgs = z.output<typeof packageSchema>;
export type PackageManager = 'apt' | 'dnf' | 'yum' | 'apk';

export interface PackageFacts {
  readonly manager: PackageManager | '';
  /** Installed packages: name -> version. */
  readonly installed: Readonly<Record<string, string>>;
  /** Packages with a newer version available (asked for with state latest). */
  readonly upgradable: readonly string[];
}

/** The package name without a version pin. */
export const baseName = (spec: string) => spec.split('=')[0]!;
const pinOf = (spec: string) => (spec.includes('=') ? spec.slice(spec.indexOf('=') + 1) : undefined);

const MANAGERS = ['apt-get', 'dnf', 'yum', 'apk'] as const;

/** The first manager found, by the cached `which` fact. */
export function detectManager(found: Readonly<Record<string, string>>): PackageManager | '' {
  const m = MANAGERS.find((c) => found[c]);
  return m === 'apt-get' ? 'apt' : (m ?? '');
}

function queryCommand(m: PackageManager, names: string[], latest: boolean, update: boolean): Command {
  switch (m) {
    case 'apt':
      return sectionsCommand({
        ...(update ? { update: script('apt-get update -q >/dev/null 2>&1 || true') } : {}),
        installed: sh`dpkg-query -W -f='\${Package}\\t\${Status}\\t\${Version}\\n' ${names} 2>/dev/null | awk -F'\\t' '$2 ~ / installed$/ { print $1 "\\t" $3 }'`,
        ...(latest ? { policy: sh`LC_ALL=C apt-cache policy ${names} 2>/dev/null` } : {}),
      });
    case 'dnf':
    case 'yum':
      return sectionsCommand({
        ...(update ? { update: sh`${m} -q makecache >/dev/null 2>&1 || true` } : {}),
        installed: sh`rpm -q --qf '%{NAME}\\t%{VERSION}-%{RELEASE}\\n' ${names} 2>/dev/null | grep -v 'is not installed'`,
        ...(latest ? { policy: sh`${m} -q check-update ${names} 2>/dev/null` } : {}),
      });
    case 'apk':
      return sectionsCommand({
        ...(update ? { update: script('apk update -q >/dev/null 2>&1 || true') } : {}),
        installed: sh`for p in ${names}; do v=$(apk info -e "$p" >/dev/null 2>&1 && apk info -v "$p" 2>/dev/null | head -n 1); [ -n "$v" ] && printf '%s\\t%s\\n' "$p" "$v"; done; true`,
        ...(latest ? { policy: sh`apk version -l '<' ${names} 2>/dev/null` } : {}),
      });
  }
}

/** Parse the query sections into installed versions and upgradable names. */
export function parsePackageQuery(m: PackageManager, s: Record<string, string>): Pick<PackageFacts, 'installed' | 'upgradable'> {
  const installed: Record<string, string> = {};
  for (const l of (s.installed ?? '').split('\n')) {
    const [n, v] = l.split('\t');
    if (n && v !== undefined) installed[n] = m === 'apk' ? v.replace(new RegExp(`^${n.replace(/[.+]/g, '\\$&')}-`), '') : v;
  }
  const upgradable: string[] = [];
  const policy = s.policy ?? '';
  if (m === 'apt') {
    for (const block of policy.split(/\n(?=\S)/)) {
      const name = block.match(/^(\S+):/)?.[1];
      const inst = block.match(/Installed: (\S+)/)?.[1];
      const cand = block.match(/Candidate: (\S+)/)?.[1];
      if (name && inst && cand && inst !== '(none)' && cand !== '(none)' && inst !== cand) upgradable.push(name);
    }
  } else if (m === 'apk') {
    for (const l of policy.split('\n')) {
      const mm = l.match(/^(\S+?)-\d\S*\s+</);
      if (mm) upgradable.push(mm[1]!);
    }
  } else {
    for (const l of policy.split('\n')) {
      const mm = l.match(/^(\S+)\.[^.\s]+\s+\S+\s+\S+/);
      if (mm) upgradable.push(mm[1]!);
    }
  }
  return { installed, upgradable };
}

function installCommand(m: PackageManager, specs: string[], latest: boolean): Command {
  switch (m) {
    case 'apt':
      return sh`DEBIAN_FRONTEND=noninteractive apt-get install -y -q -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold ${specs}`;
    case 'dnf':
    case 'yum':
      return latest ? sh`${m} -y install ${specs} && ${m} -y upgrade ${specs}` : cmd(m, '-y', 'install', ...specs);
    case 'apk':
      return latest ? cmd('apk', 'add', '--upgrade', ...specs) : cmd('apk', 'add', ...specs);
  }
}

function removeCommand(m: PackageManager, names: string[]): Command {
  if (m === 'apt') return sh`DEBIAN_FRONTEND=noninteractive apt-get remove -y -q ${names}`;
  if (m === 'apk') return cmd('apk', 'del', ...names);
  return cmd(m, '-y', 'remove', ...names);
}

/** Pure plan for the package module: one install or remove transaction for the whole list. */
export function planPackage(a: PackageArgs, f: PackageFacts): Plan {
  const m = f.manager;
  if (!m) throw new ModuleError('no supported package manager (apt-get, dnf, yum, apk) found on the host');
  const names = a.name.map(baseName);
  if (a.state === 'absent') {
    const gone = names.filter((n) => f.installed[n] !== undefined);
    if (!gone.length) return noChange(`${names.join(', ')} not installed`, { manager: m, changed_packages: [] });
    return changes(`remove ${gone.join(', ')}`, [{ kind: 'exec', command: removeCommand(m, gone) }], { result: { manager: m, changed_packages: gone } });
  }
  const todo = a.name.filter((spec) => {
    const n = baseName(spec);
    const pin = pinOf(spec);
    if (f.installed[n] === undefined) return true;
    if (pin !== undefined && (m === 'apt' || m === 'apk')) return f.installed[n] !== pin;
    return a.state === 'latest' && f.upgradable.includes(n);
  });
  if (!todo.length) return noChange(`${names.join(', ')} ${a.state === 'latest' ? 'up to date' : 'installed'}`, { manager: m, changed_packages: [] });
  return changes(`install ${todo.join(', ')}`, [{ kind: 'exec', command: installCommand(m, todo, a.state === 'latest') }], {
    result: { manager: m, changed_packages: todo.map(baseName) },
  });
}

/**
 * Install, upgrade or remove packages with the host's manager (apt, dnf/yum, apk), detected by a
 * fact; a list is one transaction.
 * @example
 * pkg({ name: ['nginx', 'curl'], state: 'present', update_cache: true })
 */
export const pkg = defineModule({
  name: 'package',
  description: 'Manage packages (apt, dnf/yum, apk)',
  schema: packageSchema,
  async gather(host, a): Promise<PackageFacts> {
    const manager = a.use === 'auto' ? detectManager(await host.fact(whichFact, MANAGERS)) : a.use;
    if (!manager) return { manager: '', installed: {}, upgradable: [] };
    const names = a.name.map(baseName);
    const r = await host.run(queryCommand(manager, names, a.state === 'latest', a.update_cache), { allowFail: true });
    return { manager, ...parsePackageQuery(manager, parseSections(r.stdout)) };
  },
  plan: planPackage,
});

/** {@link pkg} under Ansible's module name (`package` is a reserved word in TypeScript): the same factory. */
export const package_ = pkg;

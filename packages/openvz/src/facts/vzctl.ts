/**
 * Facts about an OpenVZ host: containers (vzlist), templates in the cache, vz.conf and CT configs.
 * Each fact is one command plus a pure parser (fixtures in fixtures/facts).
 */
import { script, sh, ModuleError, type ExecResult, type FactDef } from '@shipshape/core';
import { parseTemplateName, templateBaseName, type TemplateConvention } from '../names.js';
import { parseVzConf } from '../internal/conf.js';

export type ContainerStatus = 'running' | 'stopped' | 'mounted' | 'suspended';

export interface ContainerInfo {
  readonly ctid: number;
  readonly status: ContainerStatus;
  readonly ips: readonly string[];
  readonly hostname?: string;
  readonly ostemplate?: string;
  /** A config lock held on the container (Proxmox `pct list`: `backup`, `create`, `migrate`, ...). */
  readonly lock?: string;
}

/** Fields read from vzlist; `ip` last so vzlist prints every address (docs/platforms/openvz.md, "vzlist"), `-t` so nothing is cut. */
export const VZLIST_FIELDS = 'ctid,status,hostname,ostemplate,ip';

export function vzlistCommand(ctid?: number) {
  return ctid === undefined ? sh`vzlist -a -H -t -o ${VZLIST_FIELDS}` : sh`vzlist -a -H -t -o ${VZLIST_FIELDS} ${ctid}`;
}

const dash = (v: string | undefined): string | undefined => (v === undefined || v === '-' ? undefined : v);

/** Parse `vzlist -a -H -t -o ctid,status,hostname,ostemplate,ip` output. */
export function parseVzlist(stdout: string): ContainerInfo[] {
  const out: ContainerInfo[] = [];
  for (const line of stdout.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 2 || !/^\d+$/.test(f[0]!)) continue;
    const [ctid, status, hostname, ostemplate, ...ips] = f;
    if (!['running', 'stopped', 'mounted', 'suspended'].includes(status!)) {
      throw new ModuleError(`vzlist: unexpected status ${JSON.stringify(status)} in line ${JSON.stringify(line)}`);
    }
    out.push({
      ctid: Number(ctid),
      status: status as ContainerStatus,
      hostname: dash(hostname),
      ostemplate: dash(ostemplate),
      ips: ips.filter((ip) => ip !== '-'),
    });
  }
  return out;
}

/** vzlist exits 0 with "Container(s) not found" when none exist, 1 when a requested CTID is unknown. */
export function parseVzlistResult(r: Pick<ExecResult, 'code' | 'stdout' | 'stderr'>): ContainerInfo[] {
  if (r.code !== 0 && !/Container\(s\) not found/.test(r.stderr)) {
    throw new ModuleError(`vzlist failed (rc=${r.code}): ${r.stderr.trim() || r.stdout.trim()}`);
  }
  return parseVzlist(r.stdout);
}

/** All containers, running or not. */
export const containersFact: FactDef<ContainerInfo[]> = {
  name: 'openvz.containers',
  command: () => vzlistCommand(),
  parse: (r) => parseVzlistResult(r),
};

/** Prints `$TEMPLATE/cache` (from vz.conf) on the first line, then the cache's file names. */
export const TEMPLATE_CACHE_LISTING = script(
  `t=$(sed -n 's/^[[:space:]]*TEMPLATE=//p' /etc/vz/vz.conf 2>/dev/null | tail -n 1 | tr -d '"'"'"); ` +
    `d="\${t:-/vz/template}/cache"; echo "$d"; ls -1 "$d" 2>/dev/null; true`,
);

export interface TemplateInfo {
  /** File name, e.g. `debian-12-standard_12.2-1_amd64.tar.gz`. */
  readonly file: string;
  /** What `vzctl create --ostemplate` takes (no `.tar*`). */
  readonly name: string;
  /** The name follows one of the two conventions (see names.ts). */
  readonly valid: boolean;
  /** Which one, when valid. */
  readonly convention?: TemplateConvention;
}

function templateInfo(file: string): TemplateInfo {
  const name = templateBaseName(file);
  try {
    return { file, name, valid: true, convention: parseTemplateName(file).convention };
  } catch {
    return { file, name, valid: false };
  }
}

export interface TemplateCache {
  readonly dir: string;
  readonly templates: readonly TemplateInfo[];
}

export function parseTemplateCache(stdout: string): TemplateCache {
  const [dir = '/vz/template/cache', ...files] = stdout.split('\n').filter((l) => l !== '');
  const templates = files
    .filter((f) => /\.tar(\.(gz|bz2|xz|zst))?$/i.test(f) && !f.startsWith('.'))
    .map(templateInfo);
  return { dir, templates };
}

/** OS templates in the cache (`$TEMPLATE/cache` from vz.conf). */
export const templatesFact: FactDef<TemplateCache> = {
  name: 'openvz.templates',
  command: () => TEMPLATE_CACHE_LISTING,
  parse: (r) => parseTemplateCache(r.stdout),
};

/** `/etc/vz/vz.conf` as key/values. */
export const vzConfFact: FactDef<Record<string, string>> = {
  name: 'openvz.vzconf',
  command: () => sh`cat /etc/vz/vz.conf`,
  parse: (r) => {
    if (r.code !== 0) throw new ModuleError(`cannot read /etc/vz/vz.conf: ${r.stderr.trim()}`);
    return parseVzConf(r.stdout);
  },
};

/** Prints `present` + the config, or `missing`. */
export const ctConfigCommand = (ctid: number) =>
  sh`f=/etc/vz/conf/${ctid}.conf; if [ -f "$f" ]; then echo present; cat "$f"; else echo missing; fi`;

export const parseCtConfig = (stdout: string): Record<string, string> | null =>
  stdout.startsWith('present\n') ? parseVzConf(stdout.slice('present\n'.length)) : null;

/** `/etc/vz/conf/<CTID>.conf` as key/values, or null when the file does not exist. */
export const ctConfigFact: FactDef<Record<string, string> | null, number> = {
  name: 'openvz.ctconfig',
  command: ctConfigCommand,
  parse: (r) => parseCtConfig(r.stdout),
};

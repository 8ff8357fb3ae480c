/**
 * Facts about a Proxmox VE node, each one command plus a pure parser of the real tool's output
 * (docs/platforms/proxmox.md; fixtures in fixtures/facts): `pveversion`, the cluster's nodes,
 * storages (`pvesm status` + `/etc/pve/storage.cfg` for content types and paths), containers
 * (`pct list`, `pct config`), VMs (`qm list`, `qm config`), templates (`pveam list <storage>`).
 */
import { sh, ModuleError, type Command, type ExecResult, type FactDef } from '@shipshape/core';
import type { ContainerInfo } from '@shipshape/openvz';

type Result = Pick<ExecResult, 'code' | 'stdout' | 'stderr'>;
const SPLIT = '@@shipshape-pve@@';
const lines = (s: string): string[] => s.split('\n').filter((l) => l.trim() !== '');
/** A table's rows: header lines skipped, every other line read by `row`; a line it cannot read is an error naming the tool. */
function rows<T>(stdout: string, what: string, header: RegExp, row: (line: string) => T | undefined): T[] {
  return lines(stdout).filter((l) => !header.test(l)).map((l) => {
    const r = row(l);
    if (r === undefined) throw new ModuleError(`${what}: unexpected line ${JSON.stringify(l)}`);
    return r;
  });
}
const failed = (what: string, r: Result): ModuleError =>
  new ModuleError(`${what} failed (exit ${r.code}): ${(r.stderr.trim() || r.stdout.trim()).split('\n').slice(-2).join(' | ')}`);

/** A fact that is one command: a non-zero exit fails with `what` and the tool's last words, else `parse` reads stdout. */
function toolFact<T, A = void>(name: string, what: string, command: (arg: A) => Command, parse: (stdout: string) => T): FactDef<T, A> {
  return {
    name,
    command,
    parse: (r) => {
      if (r.code !== 0) throw failed(what, r);
      return parse(r.stdout);
    },
  };
}

/** `pct config <vmid>` / `qm config <vmid>`: the config, or null when the guest does not exist. */
const configFact = (tool: 'pct' | 'qm'): FactDef<Record<string, string> | null, number> => ({
  name: `proxmox.${tool}.config`,
  command: (vmid) => sh`${tool} config ${String(vmid)}`,
  parse: (r) => parseConfigResult(`${tool} config`, r),
});

export interface PveVersion {
  /** `8.2.4` */
  readonly manager: string;
  readonly major: number;
  /** The build id after the version (`faa83925c9641325`). */
  readonly build: string;
  readonly kernel: string;
}

/** `pveversion`: `pve-manager/8.2.4/faa83925c9641325 (running kernel: 6.8.8-2-pve)`. */
export function parsePveversion(stdout: string): PveVersion {
  const m = /^pve-manager\/(\d+)(\.[\d.]+)?\/([0-9a-f]+) \(running kernel: (\S+)\)$/m.exec(stdout);
  if (!m) throw new ModuleError(`pveversion: unexpected output ${JSON.stringify(stdout.trim().slice(0, 120))}`);
  return { manager: `${m[1]}${m[2] ?? ''}`, major: Number(m[1]), build: m[3]!, kernel: m[4]! };
}

export const pveversionFact = toolFact('proxmox.pveversion', 'pveversion', () => sh`pveversion`, parsePveversion);

export interface PveNodes {
  /** This node's name (its short host name, as PVE::INotify::nodename). */
  readonly local: string;
  /** Every node of the cluster (`/etc/pve/nodes/*`). */
  readonly nodes: readonly string[];
}

export function parseNodes(stdout: string): PveNodes {
  const [head = '', list = ''] = stdout.split(`${SPLIT}\n`);
  const local = head.trim().split('.')[0]!;
  return { local, nodes: lines(list).map((l) => l.trim()).sort() };
}

export const nodesFact = toolFact('proxmox.nodes', 'listing /etc/pve/nodes', () => sh`hostname; echo ${SPLIT}; ls -1 /etc/pve/nodes`, parseNodes);

export interface PveStorage {
  readonly id: string;
  /** `dir`, `lvmthin`, `zfspool`, `nfs`, ... */
  readonly type: string;
  readonly status: 'active' | 'inactive' | 'disabled';
  readonly totalKiB: number;
  readonly usedKiB: number;
  readonly availKiB: number;
  /** Content types from storage.cfg (`iso`, `vztmpl`, `backup`, `rootdir`, `images`, `snippets`). */
  readonly content: readonly string[];
  /** Directory of file-based storages. */
  readonly path?: string;
}

/** `/etc/pve/storage.cfg`: `<type>: <id>` sections of tab-indented `<key> <value>` lines. */
export function parseStorageCfg(text: string): Map<string, { type: string; props: Record<string, string> }> {
  const out = new Map<string, { type: string; props: Record<string, string> }>();
  let cur: { type: string; props: Record<string, string> } | undefined;
  for (const line of text.split('\n')) {
    const sec = /^([a-z][a-z0-9]*):\s+(\S+)\s*$/.exec(line);
    if (sec) {
      cur = { type: sec[1]!, props: {} };
      out.set(sec[2]!, cur);
      continue;
    }
    const kv = /^\s+(\S+)(?:\s+(.*?))?\s*$/.exec(line);
    if (kv && cur) cur.props[kv[1]!] = kv[2] ?? '1';
  }
  return out;
}

/** `pvesm status` (`Name Type Status Total (KiB) Used (KiB) Available (KiB) %`) merged with storage.cfg. */
export function parseStorages(stdout: string): PveStorage[] {
  const [status = '', cfg = ''] = stdout.split(`${SPLIT}\n`);
  const conf = parseStorageCfg(cfg);
  const out: PveStorage[] = [];
  for (const line of lines(status)) {
    const f = line.trim().split(/\s+/);
    if (f[0] === 'Name' || f.length < 6) continue;
    const [id, type, st, total, used, avail] = f as [string, string, string, string, string, string];
    if (!['active', 'inactive', 'disabled'].includes(st)) throw new ModuleError(`pvesm status: unexpected status ${JSON.stringify(st)} in line ${JSON.stringify(line)}`);
    const c = conf.get(id);
    const content = (c?.props.content ?? '').split(',').map((s) => s.trim()).filter(Boolean).sort();
    out.push({
      id, type, status: st as PveStorage['status'], totalKiB: Number(total), usedKiB: Number(used), availKiB: Number(avail),
      content, ...(c?.props.path ? { path: c.props.path } : {}),
    });
  }
  return out;
}

export const storagesFact = toolFact('proxmox.storages', 'pvesm status', () => sh`pvesm status && echo ${SPLIT} && cat /etc/pve/storage.cfg`, parseStorages);

/**
 * `pct list` (`%-10s %-10s %-12s %-20s`: VMID Status Lock Name; nothing at all without CTs) as the
 * container list shared with `@shipshape/openvz` (`ContainerInfo`; pct shows no addresses).
 */
export function parsePctList(stdout: string): ContainerInfo[] {
  return rows(stdout, 'pct list', /^VMID\s+Status\s+Lock\s+Name/, (line): ContainerInfo | undefined => {
    const m = /^(\d+)\s+(running|stopped)\s(.*)$/.exec(line.trimEnd());
    if (!m) return undefined;
    const rest = m[3]!;
    const words = rest.trim().split(/\s+/).filter(Boolean);
    // The lock column is 12 wide: blank there means no lock, the next word is the name.
    const locked = rest.slice(0, 13).trim() !== '' && words.length > 1;
    const lock = locked ? words[0] : undefined;
    const name = locked ? words[1] : words[0];
    return { ctid: Number(m[1]), status: m[2] as 'running' | 'stopped', ips: [], ...(name ? { hostname: name } : {}), ...(lock ? { lock } : {}) };
  });
}

export const pctListFact = toolFact('proxmox.pct.list', 'pct list', () => sh`pct list`, parsePctList);

/** `pct config` / `qm config`: `key: value` lines (sorted by key; description URL-encoded). */
export function parseGuestConfig(stdout: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of lines(stdout)) {
    const m = /^([a-z][a-z0-9_-]*): ?(.*)$/.exec(line);
    if (!m) throw new ModuleError(`unexpected config line ${JSON.stringify(line)}`);
    out[m[1]!] = m[2]!;
  }
  return out;
}

const NO_CONFIG = /^Configuration file '[^']*' does not exist$/m;

/** A guest's config, or null when its configuration file does not exist (exit 255, that message). */
export function parseConfigResult(what: string, r: Result): Record<string, string> | null {
  if (r.code !== 0) {
    if (NO_CONFIG.test(r.stderr) || NO_CONFIG.test(r.stdout)) return null;
    throw failed(what, r);
  }
  return parseGuestConfig(r.stdout);
}

export const pctConfigFact = configFact('pct');

export interface VmInfo {
  readonly vmid: number;
  readonly name: string;
  readonly status: string;
  readonly memoryMb: number;
  readonly bootdiskGb: number;
  /** 0 when stopped. */
  readonly pid: number;
}

/** `qm list`: `%10s %-20s %-10s %-10s %12s %-10s` = VMID NAME STATUS MEM(MB) BOOTDISK(GB) PID. */
export function parseQmList(stdout: string): VmInfo[] {
  return rows(stdout, 'qm list', /^\s*VMID\s/, (line) => {
    const f = line.trim().split(/\s+/);
    const [vmid, name, status, mem, disk, pid] = f;
    if (f.length !== 6 || !/^\d+$/.test(vmid!)) return undefined;
    return { vmid: Number(vmid), name: name!, status: status!, memoryMb: Number(mem), bootdiskGb: Number(disk), pid: Number(pid) };
  });
}

export const qmListFact = toolFact('proxmox.qm.list', 'qm list', () => sh`qm list`, parseQmList);

export const qmConfigFact = configFact('qm');

export interface PveTemplate {
  /** `local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst` */
  readonly volid: string;
  readonly file: string;
  /** As pveam prints it: MiB with two decimals. */
  readonly sizeMb: number;
}

/** `pveam list <storage>`: `%-60s %-6s` header NAME SIZE, rows `%-60s %-4.2fMB`. */
export function parsePveamList(stdout: string): PveTemplate[] {
  return rows(stdout, 'pveam list', /^NAME\s+SIZE\s*$/, (line) => {
    const m = /^(\S+:vztmpl\/(\S+))\s+([\d.]+)MB\s*$/.exec(line);
    return m ? { volid: m[1]!, file: m[2]!, sizeMb: Number(m[3]) } : undefined;
  });
}

export const pveamListFact = toolFact('proxmox.pveam.list', 'pveam list', (storage: string) => sh`pveam list ${storage}`, parsePveamList);

/** pveam's size column for a byte count (`%.2f` of MiB). */
export const pveamSize = (bytes: number): number => Number((bytes / 1048576).toFixed(2));

export interface GuestState {
  /** `pct config` / `qm config`, or null when the guest does not exist. */
  readonly config: Readonly<Record<string, string>> | null;
  readonly status?: 'running' | 'stopped';
}

const STATE_SPLIT = '@@shipshape-guest@@';

/** Parse {@link guestStateCommand}'s output: the config, its exit code, then `status: …`. */
export function parseGuestState(tool: 'pct' | 'qm', stdout: string): GuestState {
  const [config = '', rest = ''] = stdout.split(`${STATE_SPLIT}\n`);
  const rc = Number(/^rc=(\d+)$/m.exec(rest)?.[1] ?? 0);
  const parsed = parseConfigResult(`${tool} config`, { code: rc, stdout: rc === 0 ? config : '', stderr: rc === 0 ? '' : config });
  if (!parsed) return { config: null };
  return { config: parsed, status: (/^status: (running|stopped)$/m.exec(rest)?.[1] as GuestState['status']) ?? 'stopped' };
}

/** Config and status of one guest in one round trip. */
export const guestStateCommand = (tool: 'pct' | 'qm', vmid: number) => {
  const id = String(vmid);
  return sh`${tool} config ${id} 2>&1; rc=$?; echo ${STATE_SPLIT}; echo "rc=$rc"; [ $rc = 0 ] && ${tool} status ${id}; true`;
};

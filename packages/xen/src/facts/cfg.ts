/**
 * Xen guest configuration files (`/etc/xen/<host>.cfg`, xm.tmpl layout, docs/platforms/xen.md):
 * a pure parser that keeps value offsets, so edits replace one assignment and keep the rest.
 */
import { ModuleError } from '@shipshape/core';

/** One `key = value` assignment; `start`/`end` are offsets of the whole assignment in the text. */
export interface CfgEntry {
  readonly key: string;
  readonly value: string | readonly string[];
  readonly start: number;
  readonly end: number;
}

export interface XenVif {
  readonly ips: readonly string[];
  readonly mac?: string;
  readonly bridge?: string;
  readonly vifname?: string;
  /** The entry as written in the file (kept verbatim when unchanged). */
  readonly raw: string;
}

export interface XenDisk {
  /** `file:/srv/xen/domains/h/disk.img` or `phy:/dev/vg0/h-disk`. */
  readonly target: string;
  readonly vdev: string;
  readonly mode: string;
}

export interface XenGuestConfig {
  readonly name: string;
  readonly memory?: number;
  readonly vcpus?: number;
  readonly vifs: readonly XenVif[];
  readonly disks: readonly XenDisk[];
  readonly bootloader?: string;
  readonly kernel?: string;
  readonly entries: readonly CfgEntry[];
}

function readString(text: string, i: number, file: string): [string, number] {
  const q = text[i]!;
  const close = text.indexOf(q, i + 1);
  if (close < 0) throw new ModuleError(`${file}: unterminated string at offset ${i}`);
  return [text.slice(i + 1, close), close + 1];
}

function skipBlanks(text: string, i: number): number {
  let j = i;
  for (;;) {
    while (j < text.length && /\s/.test(text[j]!)) j++;
    if (text[j] !== '#') return j;
    while (j < text.length && text[j] !== '\n') j++;
  }
}

function readValue(text: string, i: number, file: string): [string | string[], number] {
  const c = text[i];
  if (c === "'" || c === '"') return readString(text, i, file);
  if (c === '[') {
    const items: string[] = [];
    let j = i + 1;
    for (;;) {
      j = skipBlanks(text, j);
      if (text[j] === ']') return [items, j + 1];
      if (text[j] === ',') { j++; continue; }
      if (text[j] !== "'" && text[j] !== '"') throw new ModuleError(`${file}: expected a quoted list item at offset ${j}, found ${JSON.stringify(text.slice(j, j + 10))}`);
      const [s, next] = readString(text, j, file);
      items.push(s);
      j = next;
    }
  }
  const m = /^[^\n#]*/.exec(text.slice(i))![0];
  return [m.trim(), i + m.length];
}

/** Parse every top-level `key = value` of a Xen cfg. Throws ModuleError naming the file on bad syntax. */
export function parseCfgEntries(text: string, file = 'cfg'): CfgEntry[] {
  const out: CfgEntry[] = [];
  let i = skipBlanks(text, 0);
  while (i < text.length) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)[ \t]*=[ \t]*/.exec(text.slice(i));
    if (!m) throw new ModuleError(`${file}: cannot parse line ${text.slice(0, i).split('\n').length}: ${JSON.stringify(text.slice(i).split('\n')[0])}`);
    const [value, end] = readValue(text, i + m[0].length, file);
    out.push({ key: m[1]!, value, start: i, end });
    i = skipBlanks(text, end);
  }
  return out;
}

/** `ip=10.0.0.5 10.0.0.6 ,mac=00:16:3E:..,bridge=xenbr0` -> structured vif. */
export function parseVif(raw: string): XenVif {
  const fields: Record<string, string> = {};
  for (const part of raw.split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return {
    ips: (fields.ip ?? '').split(/\s+/).filter(Boolean),
    mac: fields.mac,
    bridge: fields.bridge,
    vifname: fields.vifname,
    raw,
  };
}

export function parseDisk(raw: string): XenDisk {
  const [target = '', vdev = '', mode = ''] = raw.split(',').map((s) => s.trim());
  return { target, vdev, mode };
}

const list = (v: string | readonly string[] | undefined): readonly string[] => (v === undefined ? [] : typeof v === 'string' ? [v] : v);
const num = (v: string | readonly string[] | undefined): number | undefined => {
  const n = typeof v === 'string' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : undefined;
};

/** Parse a guest cfg into its facts (name, memory MB, vcpus, vifs, disks). */
export function parseXenCfg(text: string, file = 'cfg'): XenGuestConfig {
  const entries = parseCfgEntries(text, file);
  const get = (k: string) => entries.filter((e) => e.key === k).at(-1)?.value;
  const name = get('name');
  if (typeof name !== 'string' || !name) throw new ModuleError(`${file}: no name = '...' assignment`);
  return {
    name,
    memory: num(get('memory')),
    vcpus: num(get('vcpus')),
    vifs: list(get('vif')).map(parseVif),
    disks: list(get('disk')).map(parseDisk),
    bootloader: typeof get('bootloader') === 'string' ? (get('bootloader') as string) : undefined,
    kernel: typeof get('kernel') === 'string' ? (get('kernel') as string) : undefined,
    entries,
  };
}

/** Render a vif entry in xen-tools order: ip, mac, vifname, bridge. */
export function renderVif(v: { ips: readonly string[]; mac?: string; bridge?: string; vifname?: string }): string {
  const parts: string[] = [];
  if (v.ips.length) parts.push(`ip=${v.ips.join(' ')}`);
  if (v.mac) parts.push(`mac=${v.mac}`);
  if (v.vifname) parts.push(`vifname=${v.vifname}`);
  if (v.bridge) parts.push(`bridge=${v.bridge}`);
  return parts.join(',');
}

function renderVifAssignment(raws: readonly string[]): string {
  const head = 'vif         = [ ';
  if (raws.length === 0) return `${head}]`;
  return `${head}${raws.map((r) => `'${r}'`).join(`,\n${' '.repeat(head.length)}`)} ]`;
}

/** Replace the `vif = [...]` assignment (or append one) with these raw entries; the rest stays byte-identical. */
export function replaceVifs(text: string, raws: readonly string[], file = 'cfg'): string {
  const entry = parseCfgEntries(text, file).filter((e) => e.key === 'vif').at(-1);
  const rendered = renderVifAssignment(raws);
  if (!entry) return `${text}${text.endsWith('\n') || text === '' ? '' : '\n'}${rendered}\n`;
  return text.slice(0, entry.start) + rendered + text.slice(entry.end);
}

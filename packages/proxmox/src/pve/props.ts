/**
 * Proxmox property strings (`name=eth0,bridge=vmbr0,ip=dhcp`, `nesting=1`,
 * `local-lvm:vm-101-disk-0,size=8G`) and disk sizes (`8G`, `512M`, bytes without a unit), as
 * PVE::JSONSchema reads and prints them. Pure.
 */
import { ArgumentError } from '@shipshape/core';

/** Parse `k=v,k=v`; a first item without `=` goes to `firstKey` (a volume, a NIC model). */
export function parseProps(text: string, firstKey?: string): Record<string, string> {
  const out: Record<string, string> = {};
  text.split(',').filter((s) => s !== '').forEach((item, i) => {
    const eq = item.indexOf('=');
    if (eq > 0) out[item.slice(0, eq)] = item.slice(eq + 1);
    else if (i === 0 && firstKey) out[firstKey] = item;
  });
  return out;
}

/** `k=v` items joined with `,` (keys in the given order; undefined values left out). */
export function renderProps(entries: readonly (readonly [string, string | undefined])[]): string {
  return entries.filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${v}`).join(',');
}

const UNITS: Record<string, number> = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4 };

/** `8G` → bytes (PVE's disk-size format: N[.N][KMGT], bytes without a unit); undefined if unreadable. */
export function sizeBytes(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)([KMGT]?)$/.exec(text.trim());
  return m ? Math.round(Number(m[1]) * UNITS[m[2]!]!) : undefined;
}

/** Bytes → the largest unit that divides them (PVE::JSONSchema::format_size). */
export function sizeText(bytes: number): string {
  for (const u of ['T', 'G', 'M', 'K'] as const) if (bytes > 0 && bytes % UNITS[u]! === 0) return `${bytes / UNITS[u]!}${u}`;
  return String(bytes);
}

/** A size argument (`'8G'`, or a number of GiB) → bytes; ArgumentError names the field. */
export function sizeArg(module: string, field: string, v: string | number): number {
  const b = typeof v === 'number' ? Math.round(v * UNITS.G!) : sizeBytes(v);
  if (b === undefined || b <= 0) throw new ArgumentError(`${module}: field "${field}" has bad value ${JSON.stringify(v)}: expected a size such as 8G, 512M or a number of GiB`, field, v);
  return b;
}

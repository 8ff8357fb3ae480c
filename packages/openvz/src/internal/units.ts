/**
 * vzctl value normalisation, so a plan can compare desired settings with a saved config:
 * DISKSPACE in 1 KiB blocks, *PAGES in 4 KiB pages, other UBC in bytes or counts;
 * a suffixed value (K/M/G/T/P) is bytes. `b` alone means `b:b`. (docs/platforms/openvz.md, "vzctl basics")
 */
import { ArgumentError } from '@shipshape/core';

/** UBC parameters vzctl knows, upper case as in CT configs. */
export const UBC_PARAMS = [
  'KMEMSIZE', 'LOCKEDPAGES', 'PRIVVMPAGES', 'SHMPAGES', 'NUMPROC', 'PHYSPAGES', 'VMGUARPAGES', 'OOMGUARPAGES',
  'NUMTCPSOCK', 'NUMFLOCK', 'NUMPTY', 'NUMSIGINFO', 'TCPSNDBUF', 'TCPRCVBUF', 'OTHERSOCKBUF', 'DGRAMRCVBUF',
  'NUMOTHERSOCK', 'NUMFILE', 'DCACHESIZE', 'NUMIPTENT', 'AVNUMPROC', 'SWAPPAGES',
] as const;

const SUFFIX: Record<string, number> = { K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4, P: 1024 ** 5 };

function scale(v: string, unitBytes: number, field: string, whole: string): string {
  if (v === 'unlimited') return v;
  const m = /^(\d+(?:\.\d+)?)([KMGTP]?)$/i.exec(v);
  if (!m) throw new ArgumentError(`${field}: bad value ${JSON.stringify(whole)} (expected N[K|M|G|T][:N[K|M|G|T]] or unlimited)`, field, whole);
  const n = Number(m[1]);
  const s = m[2]!.toUpperCase();
  return String(Math.floor(s ? (n * SUFFIX[s]!) / unitBytes : n));
}

function pair(v: string | number, unitBytes: number, field: string): string {
  const s = String(v).trim();
  const [b, l = b] = s.split(':');
  if (s.split(':').length > 2 || b === undefined) throw new ArgumentError(`${field}: bad value ${JSON.stringify(s)}`, field, s);
  return `${scale(b, unitBytes, field, s)}:${scale(l, unitBytes, field, s)}`;
}

/** `--diskspace 10G` → `10485760:10485760` (1 KiB blocks). */
export const normalizeDiskspace = (v: string | number): string => pair(v, 1024, 'diskspace');
/** `--diskinodes 200000` → `200000:200000`. */
export const normalizeDiskinodes = (v: string | number): string => pair(v, 1, 'diskinodes');

/** A UBC value as vzctl saves it; `name` case-insensitive (`kmemsize` or `KMEMSIZE`). */
export function normalizeUbc(name: string, v: string | number): string {
  const key = name.toUpperCase();
  if (!(UBC_PARAMS as readonly string[]).includes(key)) {
    throw new ArgumentError(`ubc: unknown UB parameter ${JSON.stringify(name)} (one of ${UBC_PARAMS.join(', ').toLowerCase()})`, 'ubc', name);
  }
  return pair(v, key.endsWith('PAGES') ? 4096 : 1, `ubc.${name}`);
}

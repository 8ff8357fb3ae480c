/**
 * Which options a host's vzdump speaks, read once per host from `vzdump --help`
 * (docs/platforms/proxmox.md, "vzdump dialects"):
 * - `pve`: Proxmox VE ≥ 2.0 (schema CLI): `--mode snapshot|suspend|stop`, `--compress <enum>`;
 * - `1.x`: vzdump 1.x (PVE 1.x, Debian's vzdump package): `--suspend`/`--snapshot`/`--stop`,
 *   a bare `--compress` (gzip, `.tgz`), messages on stdout, exit 0 even when a guest failed.
 */
import { sh, ArgumentError, ModuleError, type Command, type FactDef } from '@shipshape/core';

export type VzdumpDialectName = 'pve' | '1.x';

export interface VzdumpDialect {
  readonly name: VzdumpDialectName;
  /** `--compress` values it accepts (`1.x`: only `gzip`, spelled as the bare flag). */
  readonly compress: readonly string[];
  /** The help text mentions `--restore` (vzdump before vzrestore was split out). */
  readonly restoreOption: boolean;
  /** What the options were read from: `vzdump --help`, or `vzdump help` where `--help` listed none. */
  readonly readFrom?: '--help' | 'help';
}

export type VzdumpMode = 'snapshot' | 'suspend' | 'stop';
export type VzdumpCompress = '0' | '1' | 'gzip' | 'lzo' | 'zstd';

/** What PVE 2.x/3.x offered before zstd (PVE 6.2) when the help shows no enumeration. */
const PVE_COMPRESS_FALLBACK = ['0', '1', 'gzip', 'lzo'];

/** Pure: the dialect from `vzdump --help 2>&1` (whatever its exit code: vzdump 1.x exits 255 on `--help`). */
export function parseVzdumpHelp(text: string): VzdumpDialect {
  const restoreOption = /(^|\s)--?restore\b/.test(text);
  // PVE 2.x/3.x usage shows single-dash options (`-mode`), later ones `--mode`; both parse.
  if (/(^|\s)--?mode\b/.test(text)) {
    const m = /--?compress\s*<([^>]+)>/.exec(text) ?? /--?compress\s*\(([^)]+)\)/.exec(text);
    const compress = m ? m[1]!.split(/\s*[|,]\s*/).map((s) => s.trim()).filter(Boolean) : PVE_COMPRESS_FALLBACK;
    return { name: 'pve', compress, restoreOption };
  }
  if (/(^|\s)--?suspend\b/.test(text) && /(^|\s)--?snapshot\b/.test(text)) return { name: '1.x', compress: ['0', 'gzip'], restoreOption };
  const head = text.trim().split('\n').slice(0, 3).join(' | ');
  throw new ModuleError(`vzdump --help shows neither --mode (Proxmox VE ≥ 2) nor --suspend/--snapshot (vzdump 1.x): ${JSON.stringify(head || '(no output)')}`);
}

const HELP_SPLIT = '@@shipshape-vzdump-help@@';

/**
 * `vzdump --help`, read once per host and run; where it lists no options (PVE's CLI may answer
 * `--help` with a parse error only), `vzdump help` too. vzdump 1.x lists its options for `--help`,
 * so `vzdump help` (a VMID there) never runs on it.
 */
export const vzdumpDialectFact: FactDef<VzdumpDialect> = {
  name: 'vzdump.dialect',
  command: () => sh`out=$(vzdump --help 2>&1); printf '%s\n' "$out"; case $out in *-mode*|*-suspend*) ;; *) echo ${HELP_SPLIT}; vzdump help 2>&1;; esac; true`,
  parse: (r) => ({ ...parseVzdumpHelp(r.stdout), readFrom: r.stdout.includes(HELP_SPLIT) ? 'help' : '--help' }),
};

export interface DumpOptions {
  /** Directory on the host for the archives (must exist). */
  readonly dumpdir: string;
  /** @default 'snapshot' */
  readonly mode?: VzdumpMode;
  /** @default 'gzip' */
  readonly compress?: VzdumpCompress;
}

/** Why this dialect cannot do `opts`, or undefined. Pure. */
export function unsupported(d: VzdumpDialect, opts: DumpOptions): string | undefined {
  const c = opts.compress ?? 'gzip';
  if (d.compress.includes(c)) return undefined;
  if (d.name === '1.x') return `this vzdump (1.x) compresses only with gzip (bare --compress, .tgz): give compress "gzip" or "0", not ${JSON.stringify(c)}`;
  return `this vzdump offers --compress ${d.compress.join('|')}, not ${JSON.stringify(c)}`;
}

/** The vzdump command for one guest, in the host's dialect. */
export function vzdumpCommand(id: number, opts: DumpOptions, d: VzdumpDialect = { name: 'pve', compress: [], restoreOption: false }): Command {
  const mode = opts.mode ?? 'snapshot';
  const compress = opts.compress ?? 'gzip';
  const why = d.compress.length > 0 ? unsupported(d, opts) : undefined;
  if (why) throw new ArgumentError(`vzdump: field "compress": ${why}`, 'compress', compress);
  if (d.name === '1.x') {
    const flags = compress === '0' ? [`--${mode}`] : [`--${mode}`, '--compress'];
    return sh`vzdump ${flags} --dumpdir ${opts.dumpdir} ${String(id)}`;
  }
  return sh`vzdump ${String(id)} --mode ${mode} --compress ${compress} --dumpdir ${opts.dumpdir}`;
}

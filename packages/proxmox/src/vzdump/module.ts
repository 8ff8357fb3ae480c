import { posix } from 'node:path';
import { z } from 'zod';
import { ArgumentError, ModuleError, changes, defineModule, noChange, sh, type Host } from '@shipshape/core';
import {
  Generation, fromHostFile, parseNameTime, withDestination,
  type RotationResult, type UploadResult,
} from '@shipshape/storage';
import type { ContainerInfo } from '@shipshape/openvz';
import { dumpContainer, type DumpedArchive } from './dump.js';
import { unsupported, vzdumpCommand, vzdumpDialectFact, type VzdumpDialect } from './dialect.js';
import { LISTINGS, nodeContainersFact, type ContainerTool } from './node.js';
import { ARCHIVE_NAME } from './output.js';
import { destinationField } from './destination.js';


const schema = z
  .object({
    /** Containers to dump. */
    ids: z.array(z.number().int().min(100)).optional().describe('Containers to dump.'),
    /** Dump the running containers (all of them, or those of `ids` that run). */
    running: z.boolean().default(false).describe('Dump the running containers (all of them, or those of `ids` that run).'),
    /** Directory on the node the dumps are written to (`vzdump --dumpdir`). */
    dumpdir: z.string().startsWith('/').default('/var/lib/vz/dump').describe('Directory on the node the dumps are written to (`vzdump --dumpdir`).'),
    /** vzdump's backup mode: snapshot (no downtime), suspend (a short pause) or stop (the container is stopped for the dump). */
    mode: z.enum(['snapshot', 'suspend', 'stop']).default('snapshot').describe('vzdump\'s backup mode: snapshot (no downtime), suspend (a short pause) or stop (the container is stopped for the dump).'),
    /** Compression of the archive (`vzdump --compress`; 0: none); a value the node's vzdump lacks (1.x: gzip only) fails before anything runs. */
    compress: z.enum(['0', '1', 'gzip', 'lzo', 'zstd']).default('gzip').describe('Compression of the archive (`vzdump --compress`; 0: none); a value the node\'s vzdump lacks (1.x: gzip only) fails before anything runs.'),
    /** Ship every dump (archive + log) into a new generation of an off-host destination. */
    offsite: z
      .object({
        /** Where the generations are kept: a storage destination of `@shipshape/storage`, { type: 'local', on, path }, { type: 'sftp', host, port?, user, privateKey? or password?, path } or { type: 'ftp' | 'ftps', host, port?, user, password, path }. */
        dest: destinationField.describe('Where the generations are kept: a storage destination of `@shipshape/storage`, { type: \'local\', on, path }, { type: \'sftp\', host, port?, user, privateKey? or password?, path } or { type: \'ftp\' | \'ftps\', host, port?, user, password, path }.'),
        /** Generations kept: `<name>.0` (the newest) to `<name>.<keep-1>`. */
        keep: z.number().int().min(1).describe('Generations kept: `<name>.0` (the newest) to `<name>.<keep-1>`.'),
        /** Generation name: directories `<name>.0`, `<name>.1`, …. */
        name: z.string().regex(/^[A-Za-z0-9_-]+$/).default('daily').describe('Generation name: directories `<name>.0`, `<name>.1`, ….'),
        /** auto: upload from the node when it can (lftp/curl for FTP, cp for a directory on the same host), else through the controller; source: only from the node; controller: always through the controller. */
        via: z.enum(['auto', 'source', 'controller']).default('auto').describe('auto: upload from the node when it can (lftp/curl for FTP, cp for a directory on the same host), else through the controller; source: only from the node; controller: always through the controller.'),
        /** size: compare sizes after the upload; checksum: compare SHA-256 too (read back where the server cannot hash). */
        verify: z.enum(['size', 'checksum']).default('checksum').describe('size: compare sizes after the upload; checksum: compare SHA-256 too (read back where the server cannot hash).'),
        /**
         * Make no new generation while `<name>.0` holds dumps younger than this many hours (by
         * the time in their names, against the node's clock): a rerun the same night is a no-op.
         */
        minIntervalHours: z.number().min(0).optional().describe('Make no new generation while `<name>.0` holds dumps younger than this many hours (by the time in their names, against the node\'s clock): a rerun the same night is a no-op.'),
      })
      .optional()
      .describe('Ship every dump (archive + log) into a new generation of an off-host destination.'),
    /** Keep the local dumps after a verified upload. */
    keepLocal: z.boolean().default(false).describe('Keep the local dumps after a verified upload.'),
  })
  .refine((a) => a.running || (a.ids && a.ids.length > 0), { message: 'give ids, or running: true', path: ['ids'] });

export type VzdumpArgs = z.output<typeof schema>;

/** What the module reads: containers, and for `minIntervalHours` the newest dump time of `<name>.0` and the node's clock. */
export interface VzdumpFacts {
  readonly containers: readonly Pick<ContainerInfo, 'ctid' | 'status'>[];
  /** The node's container tool (`pct` on Proxmox VE ≥ 4, else vzctl/vzlist); its listing ships with each generation. @default 'vzctl' */
  readonly tool?: ContainerTool;
  /** The options this host's vzdump speaks (from `vzdump --help`). */
  readonly dialect: VzdumpDialect;
  /** Naive local times (calendar fields only), as in vzdump's file names. */
  readonly newest?: Date;
  readonly now?: Date;
}

async function gatherFacts(h: Host, args: VzdumpArgs): Promise<VzdumpFacts> {
  const { tool, containers } = await h.fact(nodeContainersFact, undefined);
  const dialect = await h.fact(vzdumpDialectFact, undefined);
  const o = args.offsite;
  if (!o?.minIntervalHours) return { containers, tool, dialect };
  const now = parseNameTime((await h.run(sh`date +%Y_%m_%d-%H_%M_%S`)).stdout.trim())?.time;
  const names = await withDestination(o.dest, async (c) => (await c.list(`${o.name}.0`)).map((e) => e.name));
  const times = names.filter((n) => ARCHIVE_NAME.test(n)).map((n) => parseNameTime(n)!.time.getTime());
  return { containers, tool, dialect, now, newest: times.length ? new Date(Math.max(...times)) : undefined };
}

/** Why no new generation is due, or undefined when it is. Pure. */
export function intervalNotElapsed(args: VzdumpArgs, f: Pick<VzdumpFacts, 'newest' | 'now'>): string | undefined {
  const hours = args.offsite?.minIntervalHours;
  if (!hours || !f.newest || !f.now) return undefined;
  const age = (f.now.getTime() - f.newest.getTime()) / 3_600_000;
  if (age >= hours) return undefined;
  const at = f.newest.toISOString().slice(0, 19).replace('T', ' ');
  return `${args.offsite!.name}.0 holds dumps from ${at} (${age.toFixed(1)} h ago, less than ${hours} h): no new generation`;
}

/** Which containers a run dumps, in id order. Pure. */
export function selectTargets(args: Pick<VzdumpArgs, 'ids' | 'running'>, cts: readonly Pick<ContainerInfo, 'ctid' | 'status'>[]): number[] {
  const known = new Map(cts.map((c) => [c.ctid, c.status]));
  const missing = (args.ids ?? []).filter((id) => !known.has(id));
  if (missing.length) {
    throw new ArgumentError(
      `vzdump: field "ids": container(s) ${missing.join(', ')} do not exist on this host (known: ${[...known.keys()].join(', ') || 'none'})`,
      'ids',
      missing,
    );
  }
  const pool = args.ids ? [...new Set(args.ids)] : cts.map((c) => c.ctid);
  return pool.filter((id) => !args.running || known.get(id) === 'running').sort((a, b) => a - b);
}

export interface VzdumpData {
  readonly targets: readonly number[];
  /** The vzdump dialect spoken (`pve`: --mode/--compress <enum>; `1.x`: --suspend/--snapshot/--stop, bare --compress). */
  readonly dialect?: string;
  /** The node's container tool: `pct` (Proxmox VE, LXC) or `vzctl` (OpenVZ). */
  readonly tool?: ContainerTool;
  readonly dumped?: readonly (DumpedArchive & { readonly removedLocal: boolean })[];
  readonly shipped?: readonly UploadResult[];
  readonly rotation?: Omit<RotationResult, 'files'>;
  readonly [k: string]: unknown;
}

const mb = (n: number): string => `${(n / 1048576).toFixed(1)} MiB`;

async function runAll(h: Host, args: VzdumpArgs, targets: readonly number[], dialect: VzdumpDialect, tool: ContainerTool) {
  const o = args.offsite;
  const g = o ? await Generation.begin({ dest: o.dest, keep: o.keep, name: o.name, via: o.via, verify: o.verify }) : undefined;
  const dumped: (DumpedArchive & { removedLocal: boolean })[] = [];
  const shipped: UploadResult[] = [];
  try {
    for (const id of targets) {
      const d = await dumpContainer(h, id, args, dialect);
      const entry = { ...d, removedLocal: false };
      dumped.push(entry);
      if (!g) continue;
      for (const file of d.log ? [d.archive, d.log] : [d.archive]) shipped.push(await g.add(posix.basename(file), fromHostFile(h, file)));
      if (!args.keepLocal) {
        await h.run(sh`rm -f ${d.log ? [d.archive, d.log] : [d.archive]}`);
        entry.removedLocal = true;
      }
    }
    if (g) {
      const { file, argv } = LISTINGS[tool];
      const listing = posix.join(args.dumpdir, file);
      await h.run(sh`${[...argv]} > ${listing}`);
      try {
        shipped.push(await g.add(file, fromHostFile(h, listing)));
      } finally {
        await h.run(sh`rm -f ${listing}`);
      }
    }
    const rotation = g ? await g.commit() : undefined;
    return { dumped, shipped, rotation };
  } catch (e) {
    await g?.abort();
    const done = dumped.map((d) => d.id).join(', ') || 'none';
    const kept = dumped.filter((d) => !d.removedLocal).map((d) => d.archive);
    const state = g ? '; nothing rotated, existing generations untouched' : '';
    throw new ModuleError(
      `${(e as Error).message} [dumped: ${done}${state}${kept.length ? `; local dumps kept: ${kept.join(', ')}` : ''}]`,
      { cause: e },
    );
  }
}

/** Perform the dumps (and the shipping) of a plan: the task's message and data. */
async function dumpAll(h: Host, args: VzdumpArgs, targets: readonly number[], dialect: VzdumpDialect, tool: ContainerTool) {
  const { dumped, shipped, rotation } = await runAll(h, args, targets, dialect, tool);
  const bytes = shipped.reduce((n, s) => n + s.bytes, 0);
  const where = rotation
    ? `; shipped ${shipped.length} file(s), ${mb(bytes)}, verified by ${args.offsite!.verify}, as ${rotation.generation} (${rotation.generations.length} generation(s) kept)`
    : `; archives left in ${args.dumpdir}`;
  const { files: _f, ...rot } = rotation ?? { files: [] };
  const data: VzdumpData = { targets, dialect: dialect.name, tool, dumped, shipped, rotation: rotation ? (rot as Omit<RotationResult, 'files'>) : undefined };
  const spoke = dialect.name === '1.x' ? ' (vzdump 1.x options)' : '';
  return { msg: `dumped CT ${dumped.map((d) => `${d.id} (${mb(d.bytes)})`).join(', ')}${spoke}${where}`, data };
}

/**
 * Dump containers with vzdump, one at a time, in the options the host's vzdump speaks
 * (`vzdump --help`, read once per host): OpenVZ containers (listed by vzlist) or, on Proxmox VE
 * ≥ 4, LXC containers (listed by `pct list`). With `offsite`, ship each archive and its log, plus
 * the node's listing (`pct list` as `pct-list.log`, `vzlist -a` as `vzlist.log`), into a new
 * verified generation (`daily.0` … `daily.N-1`) of a destination, deleting the local dump only
 * once its off-host copy is verified. A failed dump, upload or verification rotates nothing and
 * keeps every existing generation.
 * @example
 * vzdump({ running: true, mode: 'snapshot', compress: 'zstd', dumpdir: '/var/lib/vz/dump',
 *   offsite: { dest: { type: 'ftp', host: 'nas', user: 'backup', password: secret(pw), path: '/vz' }, keep: 10 } })
 */
export const vzdump = defineModule({
  name: 'proxmox.vzdump',
  description: 'Back up OpenVZ or Proxmox VE (LXC) containers with vzdump and rotate off-host generations',
  schema,
  gather: gatherFacts,
  plan: (args, facts) => {
    const targets = selectTargets(args, facts.containers);
    const cannot = unsupported(facts.dialect, args);
    if (cannot) throw new ArgumentError(`vzdump: field "compress": ${cannot}`, 'compress', args.compress);
    const recent = intervalNotElapsed(args, facts);
    if (recent) return noChange<VzdumpData>(recent, { targets: [] });
    if (targets.length === 0) return noChange<VzdumpData>(args.running ? 'no running containers to dump' : 'no containers to dump', { targets });
    const to = args.offsite ? ` and ship to ${args.offsite.name}.0 (keep ${args.offsite.keep})` : '';
    const tool = facts.tool ?? 'vzctl';
    const commands = targets.map((id) => vzdumpCommand(id, args, facts.dialect).display);
    return changes<VzdumpData>(
      `dump CT ${targets.join(', ')}${to}`,
      [{ kind: 'call', describe: commands.join('; '), run: (h: Host) => dumpAll(h, args, targets, facts.dialect, tool) }],
      { result: { targets, dialect: facts.dialect.name, tool } },
    );
  },
});

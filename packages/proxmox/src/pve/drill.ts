/**
 * `proxmox.restoreDrill`: prove a backup generation restorable. The newest archive of a container
 * in generation `<name>.<N>` of a destination (the NAS) is downloaded onto a Proxmox node, restored
 * with `pct restore` into a scratch CTID, started, a check command run inside (`pct exec`), and the
 * scratch CT destroyed again whatever happened. The result is written next to the archive as
 * `<archive>.drill.json` (`verified` or `unverified`, with the failing step and the reason); a
 * generation whose record says verified for an archive of that size is not drilled again (ok).
 */
import { posix } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { z } from 'zod';
import { cmd, changes, defineModule, failure, ModuleError, noChange, sh, type Command, type Host, type Plan } from '@shipshape/core';
import { downloadToHost, withDestination, type DestinationClient } from '@shipshape/storage';
import { destinationField } from '../vzdump/destination.js';
import { pickArchive } from '../vzdump/restore.js';
import { guestStateCommand, parseGuestState, type GuestState } from './facts.js';

export const restoreDrillSchema = z
  .object({
    /** The generation to drill: `<name>.<generation>` of `dest`, the newest archive of `ct` there (default: the lowest CTID). */
    from: z.object({
      dest: destinationField,
      name: z.string().regex(/^[A-Za-z0-9_-]+$/).default('daily'),
      generation: z.number().int().min(0).default(0),
      ct: z.number().int().min(100).optional(),
    }).strict().describe('The generation: { dest, name (daily), generation (0 = newest), ct (default: the lowest CTID there) }.'),
    /** The scratch CTID: must be free; it is destroyed after the drill. */
    vmid: z.number().int().min(100).max(999999999).describe('The scratch CTID: must be free; it is destroyed after the drill.'),
    /** Storage for the restored root fs (`pct restore --storage`). @default 'local' */
    storage: z.string().regex(/^[a-z][a-z0-9._-]*$/).default('local').describe('Storage for the restored root fs (`pct restore --storage`).'),
    /** Run inside the restored CT: argv, or a string for `sh -c`; exit 0 passes. @default ['test', '-f', '/etc/os-release'] */
    check: z.union([z.string().min(1), z.array(z.string()).min(1)]).default(['test', '-f', '/etc/os-release']).describe('Run inside the restored CT: argv, or a string for `sh -c`; exit 0 passes.'),
    /** Where the archive is put on the node (removed afterwards). @default '/var/lib/vz/dump' */
    dumpdir: z.string().startsWith('/').default('/var/lib/vz/dump').describe('Where the archive is put on the node (removed afterwards).'),
    /** Drill again even when the record says verified. @default false */
    force: z.boolean().default(false).describe('Drill again even when the record says verified.'),
  })
  .strict();
export type RestoreDrillArgs = z.output<typeof restoreDrillSchema>;

/** What `<archive>.drill.json` holds. */
export interface DrillRecord {
  readonly archive: string;
  readonly bytes: number;
  readonly result: 'verified' | 'unverified';
  /** ISO time of the drill (controller clock). */
  readonly at: string;
  readonly node: string;
  readonly vmid: number;
  readonly check: string;
  /** For unverified: the step that failed (download, restore, start, check) and why. */
  readonly step?: string;
  readonly reason?: string;
}

export interface RestoreDrillFacts {
  readonly scratch: GuestState;
  /** The destination's label (URL without password). */
  readonly label: string;
  readonly generation: string;
  readonly files: readonly string[];
  readonly archive?: string;
  readonly bytes?: number;
  readonly record?: DrillRecord;
}

export const recordName = (archive: string): string => `${archive}.drill.json`;

async function readText(c: DestinationClient, path: string): Promise<string | undefined> {
  if ((await c.size(path)) === undefined) return undefined;
  const chunks: Buffer[] = [];
  await c.get(path, new Writable({ write(chunk, _e, done) { chunks.push(Buffer.from(chunk)); done(); } }));
  return Buffer.concat(chunks).toString('utf8');
}

function parseRecord(text: string | undefined): DrillRecord | undefined {
  if (text === undefined) return undefined;
  try {
    const r = JSON.parse(text) as DrillRecord;
    return r && (r.result === 'verified' || r.result === 'unverified') ? r : undefined;
  } catch {
    return undefined; // an unreadable record proves nothing: drill again
  }
}

/** Write the record beside the archive: `<record>.part`, then renamed over any older record. */
async function writeRecord(c: DestinationClient, gen: string, rec: DrillRecord): Promise<string> {
  const path = `${gen}/${recordName(rec.archive)}`;
  await c.put(`${path}.part`, Readable.from([`${JSON.stringify(rec, null, 1)}\n`]));
  await c.delete(path);
  await c.rename(`${path}.part`, path);
  return path;
}

const checkCommand = (a: RestoreDrillArgs): Command =>
  typeof a.check === 'string' ? cmd('pct', 'exec', String(a.vmid), '--', 'sh', '-c', a.check) : cmd('pct', 'exec', String(a.vmid), '--', ...a.check);
const checkText = (a: RestoreDrillArgs): string => (typeof a.check === 'string' ? a.check : a.check.join(' '));
/** The tool's error (its last stderr line) and the last line it printed before (e.g. tar's complaint). */
const tail = (r: { stdout: string; stderr: string; code: number }): string => {
  const last = (t: string) => t.trim().split('\n').filter(Boolean).pop();
  return [last(r.stderr), last(r.stdout)].filter(Boolean).join(' | ') || `exit ${r.code}`;
};

class StepError extends ModuleError {
  constructor(readonly step: string, message: string) {
    super(message);
  }
}

async function drill(h: Host, a: RestoreDrillArgs, f: RestoreDrillFacts): Promise<{ msg: string; data: Record<string, unknown> }> {
  const archive = f.archive!;
  const gen = f.generation;
  const local = posix.join(a.dumpdir, archive);
  const id = String(a.vmid);
  const step = async (name: string, c: Command) => {
    const r = await h.run(c, { allowFail: true });
    if (r.code !== 0) throw new StepError(name, `${c.display} failed (exit ${r.code}): ${tail(r)}`);
    return r;
  };
  const base = { archive, bytes: f.bytes!, node: h.name, vmid: a.vmid, check: checkText(a) };
  let failed: StepError | undefined;
  try {
    try {
      // Its own connection: a restore can outlast an idle FTP session.
      await withDestination(a.from.dest, (c) => downloadToHost(c, `${gen}/${archive}`, h, local));
    } catch (e) {
      throw new StepError('download', (e as Error).message);
    }
    await step('restore', cmd('pct', 'restore', id, local, '--storage', a.storage));
    await step('start', cmd('pct', 'start', id));
    await step('check', checkCommand(a));
  } catch (e) {
    failed = e instanceof StepError ? e : new StepError('drill', (e as Error).message);
  } finally {
    // Whatever happened: no scratch CT and no downloaded archive stay behind.
    await h.run(sh`if pct config ${id} >/dev/null 2>&1; then pct destroy ${id} --force 1 --purge 1; fi; rm -f ${local} ${`${local}.part`}`, { allowFail: true });
  }
  const gone = parseGuestState('pct', (await h.run(guestStateCommand('pct', a.vmid))).stdout).config === null;
  const rec: DrillRecord = failed
    ? { ...base, result: 'unverified', at: new Date().toISOString(), step: failed.step, reason: failed.message }
    : { ...base, result: 'verified', at: new Date().toISOString() };
  const where = await withDestination(a.from.dest, (c) => writeRecord(c, gen, rec));
  const scratch = gone ? `scratch CT ${id} destroyed` : `scratch CT ${id} could NOT be destroyed`;
  if (failed) {
    throw new ModuleError(`restore drill of ${f.label}/${gen}/${archive} FAILED at ${failed.step}: ${failed.message}; marked unverified in ${where}; ${scratch}`);
  }
  if (!gone) throw new ModuleError(`restore drill of ${gen}/${archive} passed, but ${scratch}`);
  return {
    msg: `${gen}/${archive} verified: restored into CT ${id} on ${h.name}, started, \`${checkText(a)}\` passed; ${scratch}; recorded in ${where}`,
    data: { record: rec, path: where },
  };
}

/** Pure: drill, or why not. */
export function planDrill(a: RestoreDrillArgs, f: RestoreDrillFacts): Plan {
  const gen = f.generation;
  if (!f.archive) return failure(`${f.label}: ${gen} holds no vzdump archive${a.from.ct === undefined ? '' : ` of CT ${a.from.ct}`} (files: ${f.files.join(', ') || 'none'})`);
  if (f.scratch.config) return failure(`scratch CT ${a.vmid} exists on this node: a drill restores only into a free CTID (remove it or pick another vmid)`);
  const r = f.record;
  if (!a.force && r?.result === 'verified' && r.bytes === f.bytes) {
    return noChange(`${gen}/${f.archive} was verified by a restore drill on ${r.node} at ${r.at}`, { record: r });
  }
  const again = r ? ` (last drill: ${r.result}${r.step ? ` at ${r.step}` : ''})` : '';
  return changes(`restore drill of ${gen}/${f.archive} into scratch CT ${a.vmid}${again}`, [
    { kind: 'call', describe: `pct restore ${a.vmid} ${f.archive}, start, check, destroy`, run: (h: Host) => drill(h, a, f) },
  ]);
}

/**
 * Prove a backup restorable on a Proxmox VE node: restore `<name>.<N>`'s archive into a scratch CT,
 * start it, run a check inside, destroy it, and record `verified` or `unverified` beside the archive.
 * @example
 * restoreDrill({ from: { dest: nas, generation: 0, ct: 101 }, vmid: 9101, storage: 'local-lvm', check: ['test', '-f', '/etc/os-release'] })
 */
export const restoreDrill = defineModule({
  name: 'proxmox.restoreDrill',
  description: 'Restore a backup generation into a scratch container, start it, check inside, destroy it, and record the result beside the archive',
  schema: restoreDrillSchema,
  async gather(h: Host, a: RestoreDrillArgs): Promise<RestoreDrillFacts> {
    const scratch = parseGuestState('pct', (await h.run(guestStateCommand('pct', a.vmid))).stdout);
    const generation = `${a.from.name}.${a.from.generation}`;
    return withDestination(a.from.dest, async (c) => {
      const listed = (await c.list(generation)).filter((e) => e.type === 'file');
      const files = listed.map((e) => e.name);
      const archive = pickArchive(files, a.from.ct);
      if (!archive) return { scratch, label: c.label, generation, files };
      const bytes = listed.find((e) => e.name === archive)!.size;
      const record = parseRecord(await readText(c, `${generation}/${recordName(archive)}`));
      return { scratch, label: c.label, generation, files, archive, bytes, ...(record ? { record } : {}) };
    });
  },
  plan: planDrill,
});

/** Pure planning for {@link container}: desired settings vs the saved CT config and vzlist state. */
import { ArgumentError, cmd, noChange, changes, type Change, type Plan, type TaskResult } from '@shipshape/core';
import { z } from 'zod';
import type { ContainerInfo } from './facts/vzctl.js';
import { normalizeDiskinodes, normalizeDiskspace, normalizeUbc } from './internal/units.js';
import { noConfigChanges } from './internal/vzerror.js';
import { createWithRepairs, repairSchema, repairValues, startWithRepairs } from './repair.js';

const sizeValue = z.union([z.string().min(1), z.number().nonnegative()]);
const stringList = z.union([z.string().min(1).transform((s) => [s]), z.array(z.string().min(1))]);

export const containerSchema = z
  .object({
    /** Container id; 0..100 are reserved by OpenVZ. */
    ctid: z.number().int().min(101).max(2147483644).describe('Container id; 0..100 are reserved by OpenVZ.'),
    /** OS template (cache name without `.tar*`), needed to create the container. */
    ostemplate: z.string().min(1).optional().describe('OS template (cache name without `.tar*`), needed to create the container.'),
    /** Sample config `ve-<name>.conf-sample` used at create (`vzctl create --config`). */
    config: z.string().regex(/^[A-Za-z0-9._-]+$/).optional().describe('Sample config `ve-<name>.conf-sample` used at create (`vzctl create --config`).'),
    /** present: created if missing, left running or not; running: created if missing and started; stopped: created if missing and stopped; absent: stopped and destroyed. @default 'running' */
    state: z.enum(['present', 'running', 'stopped', 'absent']).default('running').describe('present: created if missing, left running or not; running: created if missing and started; stopped: created if missing and stopped; absent: stopped and destroyed.'),
    /** The complete list of IP addresses: missing ones are added, others deleted. */
    ipadd: stringList.optional().describe('The complete list of IP addresses: missing ones are added, others deleted.'),
    /** The complete nameserver list (`inherit` copies the host's). */
    nameserver: stringList.optional().describe('The complete nameserver list (`inherit` copies the host\'s).'),
    /** The container's host name (`vzctl set --hostname`). */
    hostname: z.string().regex(/^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/, 'expected a host name').optional().describe('The container\'s host name (`vzctl set --hostname`).'),
    /** `soft[:hard]`, 1 KiB blocks or with a K/M/G/T suffix, e.g. `10G`. */
    diskspace: sizeValue.optional().describe('`soft[:hard]`, 1 KiB blocks or with a K/M/G/T suffix, e.g. `10G`.'),
    /** `soft[:hard]` inode counts. */
    diskinodes: sizeValue.optional().describe('`soft[:hard]` inode counts.'),
    /** UB parameters by name (`kmemsize: '14M'`, `numproc: '240:240'`). */
    ubc: z.record(sizeValue).optional().describe('UB parameters by name (`kmemsize: \'14M\'`, `numproc: \'240:240\'`).'),
    /** Start the container when the node boots (`vzctl set --onboot yes|no`). */
    onboot: z.boolean().optional().describe('Start the container when the node boots (`vzctl set --onboot yes|no`).'),
    /**
     * What to write when vzctl fails for missing settings: DISKSPACE/DISKINODES into vz.conf (at
     * create or start), UB limits into the CT config (at start); `false` repairs nothing.
     * @default { diskspace: '2G:2.2G', diskinodes: '131072:144179', ubcPreset: 'operators' }
     */
    repair: z.union([z.literal(false), repairSchema]).default({}).describe('What to write when vzctl fails for missing settings: DISKSPACE/DISKINODES into vz.conf (at create or start), UB limits into the CT config (at start); `false` repairs nothing.'),
  })
  .strict();

export type ContainerArgs = z.output<typeof containerSchema>;

export interface ContainerFacts {
  /** From vzlist; undefined when the CT does not exist. */
  readonly info?: ContainerInfo;
  /** The saved CT config, or null when there is none. */
  readonly config: Readonly<Record<string, string>> | null;
}

const same = (a: string | undefined, b: string | undefined, norm: (v: string) => string): boolean => {
  if (a === undefined || b === undefined) return a === b;
  try {
    return norm(a) === norm(b);
  } catch {
    return false; // an unparsable saved value differs from any valid desired one
  }
};

/** `vzctl set` arguments that bring `config` to what `a` asks for (empty: nothing differs). */
export function settingArgs(a: ContainerArgs, config: Readonly<Record<string, string>>): string[] {
  const out: string[] = [];
  if (a.ipadd) {
    const current = (config.IP_ADDRESS ?? '').split(/\s+/).filter(Boolean);
    const del = current.filter((ip) => !a.ipadd!.includes(ip));
    const add = a.ipadd.filter((ip) => !current.includes(ip));
    if (del.length > 0 && del.length === current.length) out.push('--ipdel', 'all');
    else for (const ip of del) out.push('--ipdel', ip);
    for (const ip of add) out.push('--ipadd', ip);
  }
  if (a.nameserver && a.nameserver.join(' ') !== (config.NAMESERVER ?? '')) for (const ns of a.nameserver) out.push('--nameserver', ns);
  if (a.hostname !== undefined && a.hostname !== config.HOSTNAME) out.push('--hostname', a.hostname);
  if (a.diskspace !== undefined && !same(String(a.diskspace), config.DISKSPACE, normalizeDiskspace)) {
    out.push('--diskspace', normalizeDiskspace(a.diskspace));
  }
  if (a.diskinodes !== undefined && !same(String(a.diskinodes), config.DISKINODES, normalizeDiskinodes)) {
    out.push('--diskinodes', normalizeDiskinodes(a.diskinodes));
  }
  for (const [name, v] of Object.entries(a.ubc ?? {})) {
    const want = normalizeUbc(name, v);
    if (!same(want, config[name.toUpperCase()], (x) => normalizeUbc(name, x))) out.push(`--${name.toLowerCase()}`, want);
  }
  if (a.onboot !== undefined && (a.onboot ? 'yes' : 'no') !== (config.ONBOOT ?? 'no')) out.push('--onboot', a.onboot ? 'yes' : 'no');
  return out;
}

/** `vzctl create <ctid>` arguments after the CTID. */
export const createArgs = (a: ContainerArgs): string[] => ['--ostemplate', a.ostemplate ?? '', ...(a.config ? ['--config', a.config] : [])];

/**
 * Pure: the vzctl commands that bring CT `a.ctid` to the wanted state. Unless `repair: false`, create
 * and start repair what vzctl reports missing and try again; the repairs join the task's message.
 */
export function planContainer(a: ContainerArgs, f: ContainerFacts): Plan {
  const id = a.ctid;
  const info = f.info;
  const steps: Change[] = [];
  const say: string[] = [];
  const run = (...argv: string[]) => steps.push({ kind: 'exec', command: cmd('vzctl', ...argv) });
  const values = a.repair === false ? undefined : repairValues(a.repair);
  const repairs: string[] = [];
  const repaired = (): Partial<TaskResult> | undefined =>
    repairs.length > 0 ? { msg: `CT ${id}: ${say.join(', ')}; repaired: ${repairs.join('; ')}`, data: { repairs: [...repairs] } } : undefined;

  if (a.state === 'absent') {
    if (!info) return noChange(`CT ${id} is absent`);
    if (info.status === 'running') run('stop', String(id));
    else if (info.status === 'mounted') run('umount', String(id));
    run('destroy', String(id));
    return changes(`CT ${id} destroyed`, steps, { result: { ctid: id, status: 'absent' } });
  }
  if (!info) {
    if (!a.ostemplate) throw new ArgumentError(`container ${id}: field "ostemplate" is needed to create it`, 'ostemplate');
    if (!values) run('create', String(id), ...createArgs(a));
    else {
      // A config that existed before the create is kept when a failed create is cleaned up.
      const hadConfig = f.config !== null;
      steps.push({ kind: 'call', describe: cmd('vzctl', 'create', String(id), ...createArgs(a)).display, run: async (h) => {
        await createWithRepairs(h, id, createArgs(a), values, repairs, hadConfig);
        return repaired();
      } });
    }
    say.push(`created from ${a.ostemplate}`);
  }
  const setArgs = settingArgs(a, info ? (f.config ?? {}) : {});
  if (setArgs.length > 0) {
    steps.push({
      kind: 'exec', command: cmd('vzctl', 'set', String(id), ...setArgs, '--save'),
      unchanged: (r) => (noConfigChanges(r.stdout) ? 'vzctl: no changes in CT configuration' : undefined),
    });
    say.push(`set ${setArgs.filter((x) => x.startsWith('--')).join(' ')}`);
  }
  const running = info?.status === 'running';
  if (a.state === 'running' && !running) {
    if (!values) run('start', String(id));
    else steps.push({ kind: 'call', describe: cmd('vzctl', 'start', String(id)).display, run: async (h) => {
      await startWithRepairs(h, id, values, repairs);
      return repaired();
    } });
    say.push('started');
  }
  if (a.state === 'stopped' && running) {
    run('stop', String(id));
    say.push('stopped');
  }
  const status = a.state === 'present' ? (info?.status ?? 'stopped') : a.state;
  if (steps.length === 0) return noChange(`CT ${id} is ${info!.status} and configured`, { ctid: id, status });
  return changes(`CT ${id}: ${say.join(', ')}`, steps, { result: { ctid: id, status } });
}

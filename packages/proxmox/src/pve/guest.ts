/**
 * What `proxmox.container` (pct) and `proxmox.vm` (qm) share: the destroy options, one
 * config-diff planner (destroy only with force/purge, create or `set` only the keys that differ,
 * grow a disk and never shrink it, start, shut down) and the module shape (config and status of
 * the guest read in one round trip). The tool-specific parts are a {@link GuestSteps}.
 */
import { z } from 'zod';
import { cmd, changes, defineModule, failure, noChange, type Change, type Host, type Plan } from '@shipshape/core';
import { guestStateCommand, parseGuestState, type GuestState } from './facts.js';
import { parseProps, sizeBytes, sizeText } from './props.js';

export type GuestTool = 'pct' | 'qm';
const NOUN: Record<GuestTool, string> = { pct: 'CT', qm: 'VM' };

/** The schema fields every guest module has: the wanted state and how a destroy is allowed. */
export const guestFields = {
  /** running, stopped, present (exists, left as it is) or absent (destroyed: needs force or purge). @default 'running' */
  state: z.enum(['present', 'running', 'stopped', 'absent']).default('running').describe('running, stopped, present (exists, left as it is) or absent (destroyed: needs force or purge).'),
  /** `state: absent` destroys only with `force` (a running guest is stopped first) or `purge` (also from backup jobs, HA, replication). */
  force: z.boolean().default(false).describe('`state: absent` destroys only with `force` (a running guest is stopped first) or `purge` (also from backup jobs, HA, replication).'),
  /** Destroy with --purge (also from backup jobs, HA, replication). */
  purge: z.boolean().default(false).describe('Destroy with --purge (also from backup jobs, HA, replication).'),
};

export interface GuestWant {
  readonly vmid: number;
  readonly state: 'present' | 'running' | 'stopped' | 'absent';
  readonly force: boolean;
  readonly purge: boolean;
}

/** The tool-specific parts of a plan: arguments after `<tool> <command> <vmid>`. */
export interface GuestSteps {
  /** `create`'s arguments and what to say (called only when the guest does not exist). */
  create(): { readonly args: readonly string[]; readonly say: string };
  /** For an existing guest: why it cannot be brought to the wanted settings, or the `set` options that differ. */
  settings(config: Readonly<Record<string, string>>): { readonly fail?: string; readonly options: readonly string[] };
  /** The disk to grow when asked for (a key of the config that exists there) and its wanted size. */
  disk?(config: Readonly<Record<string, string>>): { readonly key: string; readonly bytes: number } | undefined;
  /** What the tool says when asked to shrink a disk. */
  readonly noShrink: string;
  /** `shutdown`'s arguments and what to say. */
  readonly shutdown: { readonly args: readonly string[]; readonly say: string };
  /** Destroying a running guest (with force): pct stops it itself (`--force 1`), qm needs `qm stop` first. */
  readonly destroyRunning: { readonly stopFirst: boolean; readonly note: string };
}

/** Pure: the pct/qm commands that bring guest `w.vmid` to the wanted state. */
export function planGuest(tool: GuestTool, w: GuestWant, f: GuestState, s: GuestSteps): Plan {
  const id = String(w.vmid);
  const noun = `${NOUN[tool]} ${id}`;
  const steps: Change[] = [];
  const say: string[] = [];
  const run = (describe: string, ...argv: string[]) => steps.push({ kind: 'exec', describe, command: cmd(tool, ...argv) });
  const running = f.status === 'running';

  if (w.state === 'absent') {
    if (!f.config) return noChange(`${noun} is absent`);
    if (!w.force && !w.purge) return failure(`${noun} exists: destroying it needs force: true (stops it if running) or purge: true`);
    if (running && !w.force) return failure(`${noun} is running: give force: true to stop and destroy it`);
    const stop = running && s.destroyRunning.stopFirst;
    if (stop) run('stop', 'stop', id);
    run('destroy', 'destroy', id, ...(w.force && !s.destroyRunning.stopFirst ? ['--force', '1'] : []), ...(w.purge ? ['--purge', '1'] : []));
    return changes(`${noun} destroyed${running ? ` (was running, ${s.destroyRunning.note})` : ''}`, steps, { result: { vmid: w.vmid, status: 'absent' } });
  }
  if (!f.config) {
    const c = s.create();
    run('create', 'create', id, ...c.args);
    say.push(c.say);
  } else {
    const { fail, options } = s.settings(f.config);
    if (fail) return failure(`${noun} ${fail}`);
    if (options.length > 0) {
      run('set', 'set', id, ...options);
      say.push(`set ${options.filter((x) => x.startsWith('--')).join(' ')}`);
    }
    const d = s.disk?.(f.config);
    if (d) {
      const haveText = parseProps(f.config[d.key] ?? '', 'volume').size;
      const haveB = haveText === undefined ? undefined : sizeBytes(haveText);
      if (haveB !== undefined && d.bytes < haveB) return failure(`${noun}: ${d.key} is ${haveText}, cannot shrink it to ${sizeText(d.bytes)} (${tool}: ${s.noShrink})`);
      if (haveB === undefined || d.bytes > haveB) {
        run('resize', 'resize', id, d.key, sizeText(d.bytes));
        say.push(`${d.key} resized to ${sizeText(d.bytes)}`);
      }
    }
  }
  if (w.state === 'running' && !running) {
    run('start', 'start', id);
    say.push('started');
  }
  if (w.state === 'stopped' && running) {
    run('shutdown', 'shutdown', id, ...s.shutdown.args);
    say.push(s.shutdown.say);
  }
  const status = w.state === 'present' ? (f.status ?? 'stopped') : w.state;
  if (steps.length === 0) return noChange(`${noun} is ${f.status ?? 'stopped'} and configured`, { vmid: w.vmid, status });
  return changes(`${noun}: ${say.join(', ')}`, steps, { result: { vmid: w.vmid, status, commands: steps.map((c) => (c.kind === 'exec' ? c.command.display : '')) } });
}

/** A guest module: its config and status read in one round trip (`<tool> config`, `<tool> status`), then `plan`. */
export function guestModule<S extends z.ZodType<GuestWant, z.ZodTypeDef, unknown>>(tool: GuestTool, def: {
  readonly name: string;
  readonly description: string;
  readonly schema: S;
  readonly plan: (args: z.output<S>, facts: GuestState) => Plan;
}) {
  return defineModule({
    ...def,
    gather: async (h: Host, a: z.output<S>) => parseGuestState(tool, (await h.run(guestStateCommand(tool, a.vmid))).stdout),
  });
}

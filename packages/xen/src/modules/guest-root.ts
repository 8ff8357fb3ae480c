/** Tasks applied inside an existing guest's root filesystem while the guest is stopped. */
import { changes, defineModule, failure, noChange, z, type Host, type Plan, type Task, type TaskResult } from '@shipshape/core';
import { readXenState, type XenHostState } from '../facts/state.js';
import { applyInRoot } from '../internal/chroot.js';
import { withGuestRoot } from '../internal/mount.js';
import { isTask } from './guest-plan.js';

export const guestRootSchema = z
  .object({
    /** The stopped guest whose root filesystem the tasks run in (its cfg is `<cfgDir>/<hostname>.cfg`). */
    hostname: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9.-]*$/, 'expected a guest name').describe('The stopped guest whose root filesystem the tasks run in (its cfg is `<cfgDir>/<hostname>.cfg`).'),
    /** Shipshape tasks applied inside the mounted root (when, loop and check mode kept). */
    tasks: z.array(z.custom<Task>(isTask, 'expected shipshape tasks')).min(1).describe('Shipshape tasks applied inside the mounted root (when, loop and check mode kept).'),
    /** Directory of guest cfgs. */
    cfgDir: z.string().regex(/^\/[A-Za-z0-9_./-]*$/).default('/etc/xen').describe('Directory of guest cfgs.'),
  })
  .strict();

export type GuestRootArgs = z.output<typeof guestRootSchema>;

/**
 * Pure plan: a stopped guest gets its root mounted and the tasks applied; a running one is left alone (its
 * disk is in use by the domain: mounting it twice would corrupt it); a missing one fails.
 */
export function planGuestRoot(a: GuestRootArgs, s: XenHostState): Plan {
  const g = s.guests.find((x) => x.name === a.hostname);
  if (!g) return failure(`guest ${a.hostname} does not exist`);
  if (g.domain) return noChange(`guest ${a.hostname} is running (id ${g.domain.id}): its root is in use, left alone`);
  return changes(`${a.tasks.length} task(s) inside the root of guest ${a.hostname}`, [
    { kind: 'call', describe: `mount the root of ${a.hostname}, apply ${a.tasks.length} task(s), unmount`, run: (h) => applyInGuestRoot(h, a) },
  ]);
}

/** Mount the guest's root, apply the tasks inside, unmount: changed when one of the tasks changed something. */
async function applyInGuestRoot(h: Host, a: GuestRootArgs): Promise<Partial<TaskResult>> {
  const report = await withGuestRoot(h, a.cfgDir, a.hostname, (root) => applyInRoot(h, root, a.tasks, a.hostname));
  const changed = report.filter((r) => r.status === 'changed');
  return {
    changed: changed.length > 0,
    msg: changed.length ? `inside ${a.hostname}: ${changed.map((r) => r.task).join(', ')}` : `inside ${a.hostname}: ${report.length} task(s) ok, nothing changed`,
    data: { report },
  };
}

/**
 * Apply shipshape tasks inside a stopped guest's root filesystem on dom0 (mounted and prepared as for
 * hooks). Changed only when one of the tasks changed something; a running guest is left alone.
 * @example guestRoot({ hostname: 'web01-backup', tasks: [copy({ dest: '/etc/motd', content: 'hi\n' })] })
 */
export const guestRoot = defineModule({
  name: 'xen.guestRoot',
  description: "Apply tasks inside a stopped Xen guest's root filesystem (mounted on dom0 as for hooks)",
  schema: guestRootSchema,
  gather: (h, a) => readXenState(h, a.cfgDir),
  plan: planGuestRoot,
});

/**
 * Restore drill of the off-host backups made by vzdump-offsite.ts, on a Proxmox VE node (group
 * `proxmox`): the newest archive of container `ct` in generation `daily.<generation>` of node
 * `source_node` on the NAS is restored with `pct restore` into the scratch CTID `target`, started,
 * `check` runs inside it (`pct exec`), and the scratch CT is destroyed. The outcome is written next
 * to the archive on the NAS as `<archive>.drill.json` (verified / unverified with the failing step);
 * a failed drill fails the task and names the generation unverified. A rerun finds the record
 * verified and changes nothing (`-e force=true` drills again).
 *
 * Vars: source_node (whose generations: <nas_path>/<source_node>; default this node), ct (default:
 * the lowest CTID in the generation), generation (0 = daily.0, the newest), target (default 9101),
 * drill_storage (root fs storage, default local), check (a command for sh -c; default: test -f
 * /etc/os-release), force, and the NAS vars of vzdump-offsite.ts (nas_host, nas_user,
 * nas_password or env SHIPSHAPE_NAS_PASSWORD, nas_port, nas_path, nas_type).
 *
 *   shipshape run playbooks/vzdump-restore-drill.ts -i inventory/hosts.ini -e source_node=vz1 -e ct=101 -e drill_storage=local-lvm -v
 */
import { ArgumentError, playbook, type TaskContext } from '@shipshape/core';
import { restoreDrill, type RestoreDrillArgs } from '@shipshape/proxmox';
import { nasDest } from './vzdump-offsite.js';

const num = (ctx: TaskContext, name: string, fallback: number): number => {
  const v = ctx.vars[name] ?? fallback;
  const n = Number(v);
  if (v === '' || !Number.isInteger(n)) throw new ArgumentError(`vzdump-restore-drill: var "${name}" must be a whole number, got ${JSON.stringify(v)}`, name, v);
  return n;
};

export function drillArgs(ctx: TaskContext): RestoreDrillArgs {
  return {
    from: {
      dest: nasDest(ctx, String(ctx.vars.source_node ?? ctx.host)),
      name: 'daily',
      generation: num(ctx, 'generation', 0),
      ...(ctx.vars.ct === undefined ? {} : { ct: num(ctx, 'ct', 0) }),
    },
    vmid: num(ctx, 'target', 9101),
    storage: String(ctx.vars.drill_storage ?? 'local'),
    check: ctx.vars.check === undefined ? ['test', '-f', '/etc/os-release'] : String(ctx.vars.check),
    dumpdir: String(ctx.vars.dumpdir ?? '/var/lib/vz/dump'),
    force: String(ctx.vars.force ?? 'false') === 'true',
  };
}

export default playbook({
  name: 'Restore drill: prove the newest backup generation restorable on Proxmox',
  hosts: 'proxmox',
  tasks: [restoreDrill(drillArgs, { name: 'restore drill into a scratch CT' })],
});

/**
 * Restore test of the off-host backups made by vzdump-offsite.ts: container `ct`'s archive from
 * generation `daily.<generation>` on the NAS is downloaded onto the node, restored into the
 * scratch CTID `target` with the node's restore tool (OpenVZ nodes: vzrestore or vzdump --restore;
 * Proxmox VE: pct restore onto `restore_storage`), taken off the network (vzctl: its IP addresses
 * deleted; pct: its network interfaces deleted; it runs beside the original), started, and
 * `check_file` must exist inside it. A rerun finds `target` present and changes nothing; remove the
 * scratch container (`vzctl stop <target>; vzctl destroy <target>`, `pct destroy <target> --force 1`)
 * to test again.
 *
 * Vars (with -e): ct (default: the lowest CTID in that generation), target (default 9101), generation (0 = newest), check_file
 * (default /etc/os-release), restore_storage (Proxmox VE: the root fs storage, pct's default local), and the NAS vars of vzdump-offsite.ts: nas_host (required), nas_user,
 * nas_password (or env SHIPSHAPE_NAS_PASSWORD), nas_port, nas_path (each node's generations are
 * under <nas_path>/<inventory name>), nas_type (ftp | ftps).
 *
 *   SHIPSHAPE_NAS_PASSWORD=... shipshape run playbooks/vzdump-restore.ts -i inventory/openvz.ini -e nas_host=nas.lan -e ct=101 -v
 */
import { ArgumentError, cmd, ModuleError, playbook, task, type TaskContext } from '@shipshape/core';
import { vzExec } from '@shipshape/openvz';
import { nodeContainersFact, vzrestore, type VzrestoreArgs } from '@shipshape/proxmox';
import { offsiteArgs } from './vzdump-offsite.js';

const num = (ctx: TaskContext, name: string, fallback?: number): number => {
  const v = ctx.vars[name] ?? fallback;
  const n = Number(v);
  if (v === undefined || v === '' || !Number.isInteger(n)) throw new ArgumentError(`vzdump-restore: var "${name}" must be a whole number (pass -e ${name}=...), got ${JSON.stringify(v)}`, name, v);
  return n;
};
const target = (ctx: TaskContext) => num(ctx, 'target', 9101);
const checkFile = (ctx: TaskContext) => String(ctx.vars.check_file ?? '/etc/os-release');

export function restoreArgs(ctx: TaskContext): VzrestoreArgs {
  const dest = offsiteArgs(ctx).offsite!.dest;
  return {
    ctid: target(ctx), dumpdir: String(ctx.vars.dumpdir ?? '/var/lib/vz/dump'), clearIps: true, start: true,
    ...(ctx.vars.restore_storage === undefined ? {} : { storage: String(ctx.vars.restore_storage) }),
    from: { dest, name: 'daily', generation: num(ctx, 'generation', 0), ...(ctx.vars.ct === undefined ? {} : { ct: num(ctx, 'ct') }) },
  };
}

export default playbook({
  name: 'Restore a container from the NAS into a scratch CTID and check it',
  hosts: 'openvz:proxmox',
  tasks: [
    vzrestore(restoreArgs, { name: 'restore into the scratch CTID and start it' }),
    task('the restored container runs and has the file', async (h, ctx) => {
      const id = target(ctx);
      if ((await h.fact(nodeContainersFact, undefined)).tool === 'pct') {
        const p = await h.run(cmd('pct', 'exec', String(id), '--', 'test', '-f', checkFile(ctx)), { allowFail: true });
        if (/not running/.test(p.stderr)) throw new ModuleError(`CT ${id} is not running`);
        if (p.code !== 0) throw new ModuleError(`CT ${id}: ${checkFile(ctx)} is missing after the restore`);
        return { changed: false, msg: `CT ${id} runs and has ${checkFile(ctx)}` };
      }
      const r = await vzExec(h, id, ['test', '-f', checkFile(ctx)], { mode: 'exec2' });
      if (r.notRunning) throw new ModuleError(`CT ${id} is not running`);
      if (r.rc !== 0) throw new ModuleError(`CT ${id}: ${checkFile(ctx)} is missing after the restore`);
      return { changed: false, msg: `CT ${id} runs and has ${checkFile(ctx)}` };
    }),
  ],
});

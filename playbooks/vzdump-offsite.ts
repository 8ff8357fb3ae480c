/**
 * Nightly off-host backup of containers (inventory groups `openvz` and `proxmox`: OpenVZ containers
 * listed by vzlist, LXC containers of Proxmox VE listed by `pct list`): vzdump every RUNNING
 * container, one at a time, upload each archive and its log over FTP into a staging directory
 * on the NAS, verify it (size + SHA-256), delete the local dump, and only when every container
 * is safely staged rotate `daily.0` … `daily.9` (10 generations, newest in `daily.0`); each
 * generation also gets the node's own listing of that night (`vzlist -a` as `vzlist.log`, `pct list`
 * as `pct-list.log`). vzdump is spoken in the node's own
 * dialect (read from `vzdump --help`: PVE's --mode/--compress, or vzdump 1.x's --suspend/--snapshot/
 * --stop with a bare --compress, gzip only). playbooks/vzdump-restore.ts restores from these.
 * A failed dump, upload or verification rotates nothing: all existing generations stay as they
 * were, and the next run clears the stale staging directory and starts over.
 *
 * Vars (inventory, group_vars or -e; the lab's inventory sets nas_host and a vaulted nas_password):
 * nas_host (required), nas_user (default backup), nas_password (or env SHIPSHAPE_NAS_PASSWORD), nas_port (21), nas_path (default /vzdump; each node gets
 * <nas_path>/<inventory name>), nas_type (ftp | ftps), keep (10), vzdump_mode (snapshot),
 * vzdump_compress (gzip), dumpdir (/var/lib/vz/dump), min_interval_hours (12: a rerun while
 * daily.0 is younger than that changes nothing, so a second run the same night is a no-op;
 * 0 turns the guard off).
 *
 *   SHIPSHAPE_NAS_PASSWORD=... shipshape run playbooks/vzdump-offsite.ts -i inventory/openvz.ini -e nas_host=nas.lan -v
 *
 * The task's message is the summary (shown with -v, and in --json): e.g.
 *   changed: [vz1] => dumped CT 101 (1.0 MiB), 103 (1.0 MiB); shipped 4 file(s), 2.0 MiB, verified by checksum, as daily.0 (10 generation(s) kept)
 * and its data lists every dump (archive, log, bytes, local copy removed) and every shipped file
 * (bytes, sha256, uploaded from the node by lftp/curl or streamed through the controller).
 */
import { ArgumentError, playbook, Secret, secret, type TaskContext } from '@shipshape/core';
import { vzdump, type VzdumpArgs } from '@shipshape/proxmox';
import type { FtpDestination } from '@shipshape/storage';

function need(ctx: TaskContext, name: string, fallback?: string): string {
  const v = ctx.vars[name] ?? fallback;
  if (v === undefined || v === '') throw new ArgumentError(`vzdump-offsite: var "${name}" is required (pass -e ${name}=...)`, name, v);
  return String(v);
}

/** The NAS password: a vaulted var stays the Secret it is (String() of a Secret is its mask). */
function password(ctx: TaskContext): Secret {
  const v = ctx.vars.nas_password;
  if (!(v instanceof Secret)) return secret(need(ctx, 'nas_password', process.env.SHIPSHAPE_NAS_PASSWORD));
  if (v.value === '') throw new ArgumentError('vzdump-offsite: var "nas_password" is vault-encrypted and no vault password was given (--vault-password-file)', 'nas_password', v);
  return v;
}

/** The NAS directory of `node`'s generations (`<nas_path>/<node>`), from the NAS vars. */
export function nasDest(ctx: TaskContext, node: string): FtpDestination {
  const type = need(ctx, 'nas_type', 'ftp');
  if (type !== 'ftp' && type !== 'ftps') throw new ArgumentError(`vzdump-offsite: var "nas_type" must be ftp or ftps, got ${JSON.stringify(type)}`, 'nas_type', type);
  return {
    type,
    host: need(ctx, 'nas_host'),
    port: Number(need(ctx, 'nas_port', '21')),
    user: need(ctx, 'nas_user', 'backup'),
    password: password(ctx),
    path: `${need(ctx, 'nas_path', '/vzdump')}/${node}`,
    ...(type === 'ftps' && ctx.vars.nas_insecure_tls ? { tls: { rejectUnauthorized: false } } : {}),
  };
}

export function offsiteArgs(ctx: TaskContext): VzdumpArgs {
  return {
    running: true,
    dumpdir: need(ctx, 'dumpdir', '/var/lib/vz/dump'),
    mode: need(ctx, 'vzdump_mode', 'snapshot') as VzdumpArgs['mode'],
    compress: need(ctx, 'vzdump_compress', 'gzip') as VzdumpArgs['compress'],
    keepLocal: false,
    offsite: {
      dest: nasDest(ctx, ctx.host),
      keep: Number(need(ctx, 'keep', '10')),
      name: 'daily',
      via: 'auto',
      verify: 'checksum',
      minIntervalHours: Number(need(ctx, 'min_interval_hours', '12')),
    },
  };
}

export default playbook({
  name: 'vzdump running containers to the NAS (10 generations)',
  hosts: 'openvz:proxmox',
  tasks: [vzdump(offsiteArgs, { name: 'vzdump running containers, ship and rotate' })],
});

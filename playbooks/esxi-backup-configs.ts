/**
 * Back up the config bundle of every reachable ESXi host (inventory group `esxi`), one bundle
 * each, as the PowerCLI loop over connected hosts does: `configBundle-<host>-<UTC stamp>.tgz` in
 * the var `esxi_backup_dir` (default `backups/esxi`, on the controller), keeping
 * `esxi_backup_keep` generations (default 7). Unreachable hosts are reported and skipped.
 *
 *   shipshape run playbooks/esxi-backup-configs.ts -i inventory/esxi.ini -e esxi_backup_dir=/srv/esxi
 */
import { playbook } from '@shipshape/core';
import { backupConfig } from '@shipshape/esxi';

export default playbook({
  name: 'Back up ESXi config bundles',
  hosts: 'esxi',
  tasks: [
    backupConfig(
      (ctx) => ({
        dest: String(ctx.vars.esxi_backup_dir ?? 'backups/esxi'),
        keep: ctx.vars.esxi_backup_keep === undefined ? 7 : Number(ctx.vars.esxi_backup_keep),
      }),
      { name: 'config bundle' },
    ),
  ],
});

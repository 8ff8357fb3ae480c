// docs/examples/packages/storage.ts
import { playbook, task } from '@shipshape/core';
import { fromHostFile, rotate } from '@shipshape/storage';

export default playbook({
  name: 'db backup',
  hosts: 'db',
  tasks: [
    task('dump', async (h) => { await h.$`pg_dumpall -f /var/backups/db.sql`; }, { become: true, becomeUser: 'postgres' }),
    task('ship', async (h, c) => {
      const nas = { type: 'sftp', host: String(c.vars.nas_host), user: 'backup', privateKeyPath: '/root/.ssh/nas', path: `/backups/${h.name}` } as const;
      // Uploaded from the host itself when it can, verified by SHA-256, then daily.0 … daily.9 rotate.
      const r = await rotate({ dest: nas, keep: 10, name: 'daily', files: [{ name: 'db.sql', source: fromHostFile(h, '/var/backups/db.sql') }] });
      h.changed();
      return { msg: `${r.generation} written` };
    }),
  ],
});

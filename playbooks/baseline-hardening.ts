// Everyday baseline for Linux and busybox hosts: sshd hardening with a validated edit, a banner,
// admin directories, shell defaults and a nightly cron job. Runs unchanged on busybox-only hosts.
import { playbook, task } from '@shipshape/core';
import { blockinfile, copy, cron, file, lineinfile } from '@shipshape/builtin';

const SSHD = '/etc/ssh/sshd_config';

export default playbook({
  name: 'Baseline hardening',
  hosts: 'debian:busybox',
  vars: { admin_dirs: ['/srv/admin', '/srv/admin/scripts', '/srv/admin/logs'] },
  handlers: {
    'sshd config changed': task('record sshd reload', async (h) => {
      // The lab's sshd runs from its own config; a real host would `kill -HUP` its sshd here.
      await h.$`date +%s >> /var/tmp/sshd-reload-requests`;
      return { changed: true };
    }),
  },
  tasks: [
    lineinfile({ path: SSHD, regexp: '^#?PasswordAuthentication', line: 'PasswordAuthentication no', create: true }, { notify: 'sshd config changed' }),
    lineinfile({ path: SSHD, regexp: '^#?PermitRootLogin', line: 'PermitRootLogin prohibit-password' }, { notify: 'sshd config changed' }),
    blockinfile({ path: SSHD, marker: '# {mark} shipshape backupuser', block: 'Match User backupuser\n    ChrootDirectory /srv/backup\n    ForceCommand internal-sftp' }, { notify: 'sshd config changed' }),
    copy({ dest: '/etc/motd', content: 'Managed by shipshape. Authorized use only.\n', mode: '0644' }),
    file((c) => ({ path: String(c.item), state: 'directory', mode: '0750' }), { loop: (c) => c.vars.admin_dirs as string[], name: 'admin directories' }),
    lineinfile({ path: '/etc/profile', line: 'export HISTTIMEFORMAT="%F %T "' }),
    file({ path: '/etc/cron.d', state: 'directory', mode: '0755' }),
    cron({ name: 'rotate admin logs', cron_file: 'shipshape-admin', user: 'root', minute: '30', hour: '2', job: 'find /srv/admin/logs -mtime +30 -delete' }),
  ],
});

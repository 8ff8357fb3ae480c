// playbooks/harden-sshd.ts
import { playbook, task } from '@shipshape/core';
import { lineinfile } from '@shipshape/builtin';

export default playbook({
  name: 'Harden sshd',
  hosts: 'web:&production',
  handlers: { 'reload sshd': task('reload sshd', async (h) => { await h.$`kill -HUP $(cat /run/sshd.pid)`; }) },
  tasks: [
    lineinfile({ path: '/etc/ssh/sshd_config', regexp: '^#?PasswordAuthentication', line: 'PasswordAuthentication no',
                 validate: '/usr/sbin/sshd -t -f %s' }, { notify: 'reload sshd' }),
    task('disk space', async (h) => {
      const r = await h.$`df -P ${'/var/lib/vz'}`;      // every ${value} is quoted for sh
      return { msg: r.stdout.split('\n')[1] };
    }),
  ],
});

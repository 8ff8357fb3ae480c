// docs/examples/packages/fleet-site.ts
import { playbook } from '@shipshape/core';
import { copy, lineinfile } from '@shipshape/builtin';

export default playbook({
  name: 'baseline',
  hosts: 'all',
  tasks: [
    lineinfile({ path: '/etc/ssh/sshd_config', regexp: '^#?PermitRootLogin', line: 'PermitRootLogin prohibit-password' }),
    copy({ src: 'motd', dest: '/etc/motd', mode: '0644' }),   // files/motd beside the playbook travels with it
  ],
});

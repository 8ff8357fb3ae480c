// The benchmark workload (same work as workload.yml for Ansible).
import { playbook } from '@shipshape/core';
import { blockinfile, copy, cron, file, lineinfile, replace, shell } from '@shipshape/builtin';

const SSHD = '/etc/ssh/sshd_config';

export default playbook({
  name: 'bench workload',
  hosts: 'all',
  handlers: { 'reload sshd': shell({ cmd: 'echo reload >> /var/tmp/sshd-reloads' }) },
  tasks: [
    lineinfile({ path: SSHD, regexp: '^#?PasswordAuthentication', line: 'PasswordAuthentication no' }, { notify: 'reload sshd' }),
    lineinfile({ path: SSHD, regexp: '^#?PermitRootLogin', line: 'PermitRootLogin prohibit-password' }, { notify: 'reload sshd' }),
    lineinfile({ path: SSHD, regexp: '^#?X11Forwarding', line: 'X11Forwarding no' }, { notify: 'reload sshd' }),
    replace({ path: SSHD, regexp: '^#?MaxAuthTries.*$', replace: 'MaxAuthTries 3' }, { notify: 'reload sshd' }),
    blockinfile({ path: SSHD, marker: '# {mark} backupuser', block: 'Match user backupuser\n    ChrootDirectory /srv/backup\n    ForceCommand internal-sftp\n    AllowTcpForwarding no' }, { notify: 'reload sshd' }),
    ...[1, 2, 3, 4, 5].map((i) => file({ path: `/srv/bench/dir${i}`, state: 'directory', mode: '0750' })),
    copy({ dest: '/etc/motd', content: 'Managed by configuration management. Authorized use only.\n' }),
    lineinfile({ path: '/etc/profile', line: 'export HISTTIMEFORMAT="%F %T "' }),
    lineinfile({ path: '/etc/profile', line: 'export TMOUT=900' }),
    lineinfile({ path: '/etc/profile', line: 'umask 027' }),
    lineinfile({ path: '/etc/aliases', line: 'root: ops@example.com', create: true }),
    cron({ name: 'bench backup', cron_file: 'bench-backup', user: 'root', minute: '15', hour: '3', job: '/usr/local/bin/backup.sh >/dev/null 2>&1' }),
  ],
});

/** Ready-made hook task lists for `guest({ hooks })`, run inside the guest root before first boot. */
import { blockinfile, file, user } from '@shipshape/builtin';
import type { Task } from '@shipshape/core';

export interface SftpJailOptions {
  /** The backup user (login through SFTP only). */
  readonly user: string;
  /** Chroot directory: owned by root and not writable by the user, as sshd requires. @default '/srv/backup' */
  readonly chrootDir?: string;
  /** Writable directory inside the chroot, owned by the user. @default 'data' */
  readonly dataDir?: string;
}

/**
 * The sftp jail the sysadmin's hook builds: a user whose home is a root-owned chroot directory,
 * a writable data directory inside it, and an sshd `Match User` block forcing internal-sftp.
 * @example guest({ hostname: 'web01-backup', ips: ['10.20.1.21'], hooks: sftpJail({ user: 'backup' }) })
 */
export function sftpJail(o: SftpJailOptions): Task[] {
  const jail = o.chrootDir ?? '/srv/backup';
  const data = `${jail}/${o.dataDir ?? 'data'}`;
  return [
    file({ path: jail, state: 'directory', owner: 'root', group: 'root', mode: '0755' }, { name: `sftp jail: ${jail} owned by root` }),
    user({ name: o.user, home: jail, shell: '/usr/sbin/nologin', create_home: false }, { name: `sftp jail: user ${o.user}` }),
    file({ path: data, state: 'directory', owner: o.user, group: o.user, mode: '0750' }, { name: `sftp jail: ${data} owned by ${o.user}` }),
    blockinfile(
      {
        path: '/etc/ssh/sshd_config',
        marker: `# {mark} shipshape sftp jail ${o.user}`,
        // A Match block runs to the end of the file, so it goes last.
        block: [`Match User ${o.user}`, `    ChrootDirectory ${jail}`, '    ForceCommand internal-sftp', '    AllowTcpForwarding no', '    X11Forwarding no'].join('\n'),
      },
      { name: `sftp jail: sshd Match User ${o.user}` },
    ),
  ];
}


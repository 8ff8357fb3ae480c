/**
 * Ready-made hook task lists for `guest({ hooks })` / `guestRoot({ tasks })`, run inside a guest root:
 * the backup guest's SFTP jail and the hosting guest's nightly restic backup to it.
 */
import { blockinfile, copy, cron, file, group, lineinfile, pkg, user } from '@shipshape/builtin';
import { ArgumentError, quote, type Task } from '@shipshape/core';
import { converge } from './roles.js';

const USER = /^[a-z_][a-z0-9_-]{0,30}$/;
/** Debian's system accounts (base-passwd): never the backup account. */
const SYSTEM_USERS = ['root', 'daemon', 'bin', 'sys', 'sync', 'games', 'man', 'lp', 'mail', 'news', 'uucp', 'proxy', 'www-data', 'backup', 'list', 'irc', 'gnats', 'nobody', '_apt'];

function backupUser(name: string): string {
  if (!USER.test(name)) throw new ArgumentError(`sftp jail: field "user" has bad value ${JSON.stringify(name)}: expected a user name (${USER})`, 'user', name);
  if (SYSTEM_USERS.includes(name)) {
    throw new ArgumentError(`sftp jail: field "user" has bad value ${JSON.stringify(name)}: that is a Debian system account; give a dedicated user`, 'user', name);
  }
  return name;
}

export interface SftpJailOptions {
  /** The dedicated backup user (SFTP only, never a Debian system account such as `backup`, uid 34). */
  readonly user: string;
  /** Chroot directory: owned by root and not writable by the user, as sshd requires. @default '/srv/backup' */
  readonly chrootDir?: string;
  /** Writable directory inside the chroot, owned by the user. @default 'data' */
  readonly dataDir?: string;
  /** Public keys allowed in (each installed with `restrict`). */
  readonly authorizedKeys?: readonly string[];
}

/** Where sshd looks for the jailed user's keys (root-owned, outside the jail). */
export const jailKeysFile = (user: string) => `/etc/ssh/authorized_keys/${user}`;

/**
 * The SFTP jail: a dedicated user whose home is a root-owned chroot directory, a writable data directory in
 * it, sshd's in-process SFTP server (`Subsystem sftp internal-sftp`, which needs no binaries inside the jail)
 * and a `Match User` block: ChrootDirectory, ForceCommand internal-sftp, keys from a root-owned file.
 * @example guest({ hostname: 'web01.backup.example.org', ips: ['10.20.1.21'], hooks: sftpJail({ user: 'hostbackup' }) })
 */
export function sftpJail(o: SftpJailOptions): Task[] {
  const name = backupUser(o.user);
  const jail = o.chrootDir ?? '/srv/backup';
  const data = `${jail}/${o.dataDir ?? 'data'}`;
  const tasks: Task[] = [
    file({ path: jail, state: 'directory', owner: 'root', group: 'root', mode: '0755' }, { name: `sftp jail: ${jail} owned by root` }),
    group({ name }, { name: `sftp jail: group ${name}` }),
    user({ name, group: name, home: jail, shell: '/usr/sbin/nologin', create_home: false, password: '*' }, { name: `sftp jail: user ${name}` }),
    file({ path: data, state: 'directory', owner: name, group: name, mode: '0750' }, { name: `sftp jail: ${data} owned by ${name}` }),
    lineinfile({ path: '/etc/ssh/sshd_config', regexp: '^#?Subsystem\\s+sftp\\s', line: 'Subsystem sftp internal-sftp' }, { name: 'sshd: in-process sftp server' }),
    blockinfile(
      {
        path: '/etc/ssh/sshd_config',
        marker: `# {mark} shipshape sftp jail ${name}`,
        // A Match block runs to the end of the file, so it goes last.
        block: [`Match User ${name}`, `    ChrootDirectory ${jail}`, '    ForceCommand internal-sftp', `    AuthorizedKeysFile ${jailKeysFile(name)}`,
          '    PasswordAuthentication no', '    AllowTcpForwarding no', '    AllowAgentForwarding no', '    PermitTunnel no', '    X11Forwarding no'].join('\n'),
      },
      { name: `sftp jail: sshd Match User ${name}` },
    ),
  ];
  if (o.authorizedKeys?.length) tasks.push(...authorizedKeys(name, o.authorizedKeys));
  return tasks;
}

/** The jailed user's keys, each `restrict`ed (no pty, forwarding, agent, X11, rc). */
export function authorizedKeys(user: string, keys: readonly string[]): Task[] {
  const lines = keys.map((k) => {
    const key = k.trim();
    if (!/^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp\d+) [A-Za-z0-9+/=]+( [^\n]*)?$/.test(key)) {
      throw new ArgumentError(`sftp jail: field "authorizedKeys" has bad value ${JSON.stringify(key.slice(0, 40))}: expected one OpenSSH public key line`, 'authorizedKeys', key);
    }
    return `restrict ${key}`;
  });
  return [
    file({ path: '/etc/ssh/authorized_keys', state: 'directory', owner: 'root', group: 'root', mode: '0755' }, { name: 'sshd: /etc/ssh/authorized_keys' }),
    copy({ dest: jailKeysFile(user), content: `${lines.join('\n')}\n`, owner: 'root', group: 'root', mode: '0644' }, { name: `sftp jail: keys of ${user} (restrict)` }),
  ];
}

export interface ResticBackupOptions {
  /** The backup guest's address and SSH port. */
  readonly host: string;
  /** @default 22 */
  readonly port?: number;
  /** The jailed user there. */
  readonly user: string;
  /** Repository path inside the jail, e.g. '/data/web01.hosting.example.org'. */
  readonly repository: string;
  /** The backup guest's ed25519 host key line (`ssh-ed25519 AAAA...`), pinned in known_hosts. */
  readonly hostKey: string;
  /** @default ['/etc', '/home', '/root', '/srv', '/var/www'] (missing ones are skipped) */
  readonly paths?: readonly string[];
  /** Cron time fields. @default { minute: '17', hour: '3' } */
  readonly at?: { readonly minute: string; readonly hour: string };
}

/** Files of the hosting guest's backup set-up. */
export const BACKUP = {
  key: '/root/.ssh/id_ed25519_backup',
  password: '/root/.config/restic/password',
  script: '/usr/local/sbin/shipshape-backup',
  knownHosts: '/root/.ssh/known_hosts_backup',
  sshConfig: '/root/.ssh/config',
} as const;

/**
 * restic to the backup guest's SFTP jail: an ed25519 key pair generated inside the guest (the public half is
 * for the jail's authorized keys), a random repository password (0600), the backup target in root's ssh
 * config with its host key pinned, the backup script (init on first use, backup, check, forget/prune) and a
 * nightly cron entry. The script's own run is the caller's business (first backup at provisioning).
 */
export function resticBackup(o: ResticBackupOptions): Task[] {
  if (!/^[A-Za-z0-9.:-]+$/.test(o.host)) throw new ArgumentError(`restic backup: field "host" has bad value ${JSON.stringify(o.host)}`, 'host', o.host);
  if (!/^\/[A-Za-z0-9._/-]+$/.test(o.repository)) throw new ArgumentError(`restic backup: field "repository" has bad value ${JSON.stringify(o.repository)}`, 'repository', o.repository);
  if (!/^ssh-ed25519 [A-Za-z0-9+/=]+$/.test(o.hostKey.trim().split(' ').slice(0, 2).join(' '))) {
    throw new ArgumentError('restic backup: field "hostKey" has bad value: expected an ssh-ed25519 public key line', 'hostKey', o.hostKey);
  }
  const user = backupUser(o.user);
  const port = o.port ?? 22;
  const paths = (o.paths ?? ['/etc', '/home', '/root', '/srv', '/var/www']).map(quote).join(' ');
  const hostKey = o.hostKey.trim().split(' ').slice(0, 2).join(' ');
  const target = port === 22 ? o.host : `[${o.host}]:${port}`;
  const script = `#!/bin/sh
# Nightly backup of this guest to its backup guest (restic over SFTP). Managed by shipshape.
set -eu
export RESTIC_REPOSITORY=${quote(`sftp:shipshape-backup:${o.repository}`)}
export RESTIC_PASSWORD_FILE=${BACKUP.password}
restic cat config >/dev/null 2>&1 || restic init
set --
for p in ${paths}; do [ -e "$p" ] && set -- "$@" "$p"; done
restic backup --one-file-system --exclude-caches "$@"
restic check
restic forget --keep-daily 7 --keep-weekly 4 --keep-monthly 6 --prune
`;
  return [
    pkg({ name: ['restic', 'openssh-client'] }, { name: 'backup: restic and ssh' }),
    file({ path: '/root/.ssh', state: 'directory', mode: '0700' }, { name: 'backup: /root/.ssh' }),
    file({ path: '/root/.config/restic', state: 'directory', mode: '0700' }, { name: 'backup: restic configuration directory' }),
    converge('backup: ssh key pair generated in the guest', `test -s ${BACKUP.key}`,
      `ssh-keygen -q -t ed25519 -N '' -C "backup@$(cat /etc/mailname 2>/dev/null || hostname)" -f ${BACKUP.key}`),
    converge('backup: repository password', `test -s ${BACKUP.password}`,
      `(umask 077; head -c 32 /dev/urandom | base64 > ${BACKUP.password})`),
    copy({ dest: BACKUP.knownHosts, content: `${target} ${hostKey}\n`, mode: '0644' }, { name: 'backup: backup guest host key pinned' }),
    blockinfile({
      path: BACKUP.sshConfig, create: true, mode: '0600', marker: '# {mark} shipshape backup target',
      block: ['Host shipshape-backup', `    HostName ${o.host}`, `    Port ${port}`, `    User ${user}`, `    IdentityFile ${BACKUP.key}`, '    IdentitiesOnly yes',
        `    UserKnownHostsFile ${BACKUP.knownHosts}`, '    StrictHostKeyChecking yes', '    BatchMode yes'].join('\n'),
    }, { name: 'backup: ssh config of the target' }),
    copy({ dest: BACKUP.script, content: script, mode: '0750' }, { name: `backup: ${BACKUP.script}` }),
    cron({ name: 'shipshape nightly backup', cron_file: 'shipshape-backup', user: 'root', minute: o.at?.minute ?? '17', hour: o.at?.hour ?? '3', job: `${BACKUP.script} >/var/log/shipshape-backup.log 2>&1` }, { name: 'backup: nightly cron job' }),
  ];
}

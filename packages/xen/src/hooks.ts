/** Ready-made hook task lists for `guest({ hooks })`, run inside the guest root before first boot. */
import { file, user } from '@shipshape/builtin';
import { task, type Task } from '@shipshape/core';

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
    sshdBlock(`# {mark} shipshape sftp jail ${o.user}`, [
      `Match User ${o.user}`, `    ChrootDirectory ${jail}`, '    ForceCommand internal-sftp', '    AllowTcpForwarding no', '    X11Forwarding no',
    ]),
  ];
}

/**
 * Pure: `text` with `lines` between the marker lines (`{mark}` -> BEGIN/END), replacing an
 * existing block or appending one at the end (a Match block must come last in sshd_config).
 */
export function withMarkedBlock(text: string, marker: string, lines: readonly string[]): string {
  const begin = marker.replace('{mark}', 'BEGIN');
  const end = marker.replace('{mark}', 'END');
  const all = text.split('\n');
  if (all.at(-1) === '') all.pop();
  const b = all.indexOf(begin);
  const e = all.indexOf(end, b + 1);
  const blockLines = [begin, ...lines, end];
  const out = b >= 0 && e > b ? [...all.slice(0, b), ...blockLines, ...all.slice(e + 1)] : [...all, ...blockLines];
  return `${out.join('\n')}\n`;
}

// The builtin blockinfile is not exported by @shipshape/builtin yet; this minimal task does the same edit.
function sshdBlock(marker: string, lines: readonly string[]): Task {
  const path = '/etc/ssh/sshd_config';
  return task(`sftp jail: ${lines[0]} block in ${path}`, async (h) => {
    const f = await h.readFile(path);
    const before = f.content?.toString('utf8') ?? '';
    const after = withMarkedBlock(before, marker, lines);
    if (after === before) return { changed: false, msg: `${path}: block present` };
    await h.writeFile(path, after, { mode: f.mode ?? '0644' });
    return { changed: true, msg: `${path}: block written` };
  });
}

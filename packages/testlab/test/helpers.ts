import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, chmodSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Lab } from '@shipshape/testlab';

/** The system ssh client with the lab key and strict host key checking against the lab's known_hosts. */
export function ssh(lab: Lab, name: string, command: string, input?: string) {
  const host = lab.hosts.find((h) => h.name === name)!;
  const r = spawnSync('ssh', ['-p', String(host.port), '-i', lab.keyPath, '-o', `UserKnownHostsFile=${lab.knownHostsPath}`,
    '-o', 'StrictHostKeyChecking=yes', '-o', 'BatchMode=yes', '-o', 'LogLevel=ERROR',
    `root@${host.address}`, command], { input, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** sftp in batch mode: succeeds only where the host has an sftp-server. */
export function sftp(lab: Lab, name: string, batch: string) {
  const host = lab.hosts.find((h) => h.name === name)!;
  const r = spawnSync('sftp', ['-P', String(host.port), '-i', lab.keyPath, '-o', `UserKnownHostsFile=${lab.knownHostsPath}`,
    '-o', 'StrictHostKeyChecking=yes', '-o', 'BatchMode=yes', '-b', '-', `root@${host.address}`], { input: batch, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Connect to a host's sshd port: resolves 'open' or the error code (ECONNREFUSED when nothing listens). */
export function probe({ address, port }: { address: string; port: number }): Promise<string> {
  return new Promise((resolve) => {
    const s = net.connect(port, address, () => { s.destroy(); resolve('open'); });
    s.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
  });
}

/** Lines of /proc/mounts that mention `dir`. */
export const mountsMentioning = (dir: string, mounts: string): string[] => mounts.split('\n').filter((l) => l.includes(`${dir}/`));

/**
 * A throwaway profiles directory with profile `counter` (busybox base): a rootfs file with mode
 * 0640, setup.sh and boot.sh that append to logs so tests can count how often each ran.
 */
export function counterProfileDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lab-profiles-'));
  const p = path.join(dir, 'counter');
  mkdirSync(path.join(p, 'rootfs/etc/counter'), { recursive: true });
  writeFileSync(path.join(p, 'profile.json'), '{ "base": "busybox" }');
  writeFileSync(path.join(p, 'rootfs/etc/counter/secret'), 'from rootfs\n');
  chmodSync(path.join(p, 'rootfs/etc/counter/secret'), 0o640);
  writeFileSync(path.join(p, 'setup.sh'), 'echo setup >> /var/log/counter-setup\n');
  writeFileSync(path.join(p, 'boot.sh'), 'echo "boot $(hostname)" >> /var/log/counter-boots\n');
  return dir;
}

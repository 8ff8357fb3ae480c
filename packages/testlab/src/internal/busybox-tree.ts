import { chmod, copyFile, mkdir, realpath, symlink } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { LabError } from '../errors.js';
import { mustRun } from './proc.js';

const DIRS = ['bin', 'sbin', 'usr/bin', 'usr/sbin', 'usr/lib/openssh', 'lib', 'lib64', 'etc/ssh', 'root', 'home',
  'proc', 'sys', 'dev', 'run', 'mnt', 'var/empty', 'var/log', 'var/run'];
const STICKY = ['tmp', 'var/tmp'];
/** Applets a busybox-only host must not have even if this busybox build offers them. */
const EXCLUDED = new Set(['bash', 'python', 'python3']);
/** glibc loads the passwd/group database code at run time; ldd cannot see it. */
const NSS_LIBS = ['/lib/x86_64-linux-gnu/libnss_files.so.2', '/lib/x86_64-linux-gnu/libnss_compat.so.2'];

async function copyInto(tree: string, file: string): Promise<void> {
  const dest = path.join(tree, file);
  await mkdir(path.dirname(dest), { recursive: true });
  await copyFile(await realpath(file), dest);
  await chmod(dest, 0o755);
}

/** Shared libraries a binary needs, as ldd lists them (absolute paths). */
async function sharedLibs(binary: string): Promise<string[]> {
  const { stdout } = await mustRun('ldd', [binary], `listing the libraries of ${binary}`);
  return [...stdout.matchAll(/(\/\S+) \(0x/g)].map((m) => m[1]);
}

/**
 * Build the lower layer of busybox-based hosts: busybox-static with one symlink per applet,
 * /usr/sbin/sshd and the shared libraries it links, and the bare directory skeleton.
 * The profile `busybox` adds /etc (accounts) on top.
 */
export async function buildBusyboxTree(tree: string): Promise<void> {
  const busybox = ['/bin/busybox', '/usr/bin/busybox'].find((f) => existsSync(f));
  if (!busybox) throw new LabError('the busybox profile needs busybox-static: apt-get install -y busybox-static');
  const sshd = '/usr/sbin/sshd';
  await Promise.all(DIRS.map((d) => mkdir(path.join(tree, d), { recursive: true })));
  await Promise.all(STICKY.map(async (d) => {
    await mkdir(path.join(tree, d), { recursive: true });
    await chmod(path.join(tree, d), 0o1777);
  }));
  await copyFile(await realpath(busybox), path.join(tree, 'bin/busybox'));
  await chmod(path.join(tree, 'bin/busybox'), 0o755);
  const { stdout } = await mustRun(busybox, ['--list-full'], 'listing busybox applets');
  const applets = stdout.split('\n').filter((a) => a && !EXCLUDED.has(path.basename(a)) && a !== 'bin/busybox');
  await Promise.all(applets.map(async (a) => {
    await mkdir(path.dirname(path.join(tree, a)), { recursive: true });
    await symlink('/bin/busybox', path.join(tree, a));
  }));
  const libs = [...(await sharedLibs(sshd)), ...NSS_LIBS.filter((l) => existsSync(l))];
  await Promise.all([sshd, ...new Set(libs)].map((f) => copyInto(tree, f)));
}

/**
 * Run shipshape tasks inside a guest's root filesystem from dom0: a Connection whose every
 * command becomes `chroot <root> /bin/sh -c <command>` on the dom0 host (through its Host, so
 * become and command events apply); hook tasks run on `Host.withConnection` over it, so builtin
 * modules work unchanged and tasks keep when, loop, retries and check mode.
 */
import { nestedConnection, ModuleError, sh, type Command, type Connection, type Host, type Task, type TaskResult } from '@shipshape/core';

/**
 * Shell text making a mounted guest root ready for hook tasks, as xen-create-image prepares its own hooks
 * (docs/platforms/xen.md, hooks): /proc, /sys and a devpts on /dev/pts mounted, the dom0's resolv.conf in
 * place of the guest's (kept aside), and a policy-rc.d that exits 101 so package installs start no daemon
 * on dom0. `leave` undoes each step; it is safe to run after a partial `enter`.
 */
export function hookEnvironment(root: string): { enter: Command; leave: Command } {
  const enter = sh`set -e; r=${root}
    mkdir -p "$r/proc" "$r/sys" "$r/dev/pts" "$r/etc" "$r/usr/sbin"
    mount -t proc proc "$r/proc"; mount -t sysfs -o ro sysfs "$r/sys"; mount -t devpts -o newinstance,ptmxmode=0666 devpts "$r/dev/pts"
    if [ -e "$r/etc/resolv.conf" ] || [ -L "$r/etc/resolv.conf" ]; then mv "$r/etc/resolv.conf" "$r/etc/resolv.conf.shipshape-hooks"; fi
    cp /etc/resolv.conf "$r/etc/resolv.conf"
    if [ ! -e "$r/usr/sbin/policy-rc.d" ]; then
      (umask 022; printf '#!/bin/sh\n# shipshape: no daemon starts while hooks run (removed afterwards)\nexit 101\n' > "$r/usr/sbin/policy-rc.d.shipshape-hooks")
      chmod 0755 "$r/usr/sbin/policy-rc.d.shipshape-hooks"; mv "$r/usr/sbin/policy-rc.d.shipshape-hooks" "$r/usr/sbin/policy-rc.d"; : > "$r/usr/sbin/.policy-rc.d.shipshape-hooks"
    fi`;
  const leave = sh`r=${root}
    if [ -e "$r/usr/sbin/.policy-rc.d.shipshape-hooks" ]; then rm -f "$r/usr/sbin/policy-rc.d" "$r/usr/sbin/.policy-rc.d.shipshape-hooks"; fi
    if [ -e "$r/etc/resolv.conf.shipshape-hooks" ] || [ -L "$r/etc/resolv.conf.shipshape-hooks" ]; then mv -f "$r/etc/resolv.conf.shipshape-hooks" "$r/etc/resolv.conf"; else rm -f "$r/etc/resolv.conf"; fi
    for m in dev/pts sys proc; do if mountpoint -q "$r/$m"; then umount "$r/$m" || umount -l "$r/$m"; fi; done`;
  return { enter, leave };
}

/** A Connection that runs everything chrooted into `root` on `dom0` (through its `run`: become and events apply). */
export function chrootConnection(dom0: Host, root: string): Connection {
  return nestedConnection(dom0, {
    name: `${dom0.name}:${root}`,
    // c.text is passed as one quoted argument (a Command would be spliced in unquoted).
    wrap: (c) => ({ text: sh`chroot ${root} /bin/sh -c ${c.text}`.text, display: `chroot ${root} ${c.display}` }),
  });
}

/** Outcome of applying hook tasks inside a guest root. */
export interface HookReport {
  readonly task: string;
  readonly status: TaskResult['status'];
  readonly msg?: string;
}

/**
 * Apply tasks inside `root` (a mounted guest filesystem on dom0), each with the runner's semantics
 * through the guest view (when, loop, retries, check mode; a block's rescue and always). Stops at the
 * first failure, throwing a ModuleError that names the hook task.
 */
export async function applyInRoot(dom0: Host, root: string, tasks: readonly Task[], label: string): Promise<HookReport[]> {
  const guest = dom0.withConnection(chrootConnection(dom0, root), `${dom0.name}/${label}`);
  let done: Awaited<ReturnType<Host['applyAll']>>;
  try {
    done = await guest.applyAll(tasks);
  } catch (e) {
    throw new ModuleError(`hook failed inside ${label}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  if (done.failed) throw new ModuleError(`hook "${done.failed.task}" failed inside ${label}: ${done.failed.result.msg ?? ''}`);
  return done.results.map((r) => ({ task: r.task, status: r.result.status, msg: r.result.msg }));
}

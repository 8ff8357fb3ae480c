/**
 * Run shipshape tasks inside a guest's root filesystem from dom0: a Connection whose every
 * command becomes `chroot <root> /bin/sh -c <command>` on the dom0 host (through its Host, so
 * become and command events apply); hook tasks run on `Host.withConnection` over it, so builtin
 * modules work unchanged and tasks keep when, loop, retries and check mode.
 */
import { Readable, type Writable } from 'node:stream';
import { ModuleError, quote, sh, taskName, type Command, type Connection, type ExecOptions, type ExecResult, type Host, type Task, type TaskResult } from '@shipshape/core';

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

/** A Connection that runs everything chrooted into `root` on `dom0`. */
export function chrootConnection(dom0: Host, root: string): Connection {
  const wrap = (c: Command): Command => {
    // c.text is passed as one quoted argument (a Command would be spliced in unquoted).
    const w = sh`chroot ${root} /bin/sh -c ${c.text}`;
    return { text: w.text, display: `chroot ${root} ${c.display}` };
  };
  const exec = (c: Command, options: ExecOptions = {}): Promise<ExecResult> => {
    const { cwd, env, ...rest } = options;
    let text = c.text;
    for (const [k, v] of Object.entries(env ?? {})) {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) throw new ModuleError(`bad environment variable name ${JSON.stringify(k)}`);
      text = `export ${k}=${quote(v)}; ${text}`;
    }
    if (cwd) text = `cd ${quote(cwd)} && ${text}`;
    const inner: Command = { text, display: c.display };
    return dom0.run(wrap(inner), { ...rest, allowFail: true });
  };
  return {
    name: `${dom0.name}:${root}`,
    exec,
    async upload(source, remotePath, options = {}) {
      const mode = options.mode !== undefined ? options.mode.toString(8) : undefined;
      const c = mode ? sh`cat > ${remotePath} && chmod ${mode} ${remotePath}` : sh`cat > ${remotePath}`;
      const r = await exec(c, { stdin: Buffer.isBuffer(source) ? source : (source as Readable) });
      if (r.code !== 0) throw new ModuleError(`upload to ${root}${remotePath} failed: ${r.stderr.trim()}`);
    },
    async download(remotePath: string, target: Writable) {
      const r = await exec(sh`cat ${remotePath}`);
      if (r.code !== 0) throw new ModuleError(`download of ${root}${remotePath} failed: ${r.stderr.trim()}`);
      await new Promise<void>((res, rej) => target.end(r.stdoutBytes, () => res()).on('error', rej));
    },
    close: async () => undefined,
  };
}

/** Outcome of applying hook tasks inside a guest root. */
export interface HookReport {
  readonly task: string;
  readonly status: TaskResult['status'];
  readonly msg?: string;
}

/**
 * Apply tasks inside `root` (a mounted guest filesystem on dom0). Stops at the first failure,
 * throwing a ModuleError that names the hook task.
 */
export async function applyInRoot(dom0: Host, root: string, tasks: readonly Task[], label: string): Promise<HookReport[]> {
  const guest = dom0.withConnection(chrootConnection(dom0, root), `${dom0.name}/${label}`);
  const report: HookReport[] = [];
  // A block's tasks run in order (its rescue/always are not hooks' business); each task gets the
  // runner's full semantics through the guest view: when, loop, retries, check mode.
  const each = async (t: Task): Promise<void> => {
    if (t.kind === 'block') {
      for (const inner of t.block) await each(inner);
      return;
    }
    let r: TaskResult;
    try {
      r = await guest.apply(t);
    } catch (e) {
      throw new ModuleError(`hook "${taskName(t)}" failed inside ${label}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
    report.push({ task: taskName(t), status: r.status, msg: r.msg });
    if (r.status === 'failed' && !r.ignored) throw new ModuleError(`hook "${taskName(t)}" failed inside ${label}: ${r.msg ?? ''}`);
  };
  for (const t of tasks) await each(t);
  return report;
}

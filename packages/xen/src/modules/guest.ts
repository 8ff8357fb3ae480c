import { defineModule, ModuleError, sh, type Change, type Command, type Host, type Plan } from '@shipshape/core';
import { readXenState } from '../facts/state.js';
import { applyInRoot } from '../internal/chroot.js';
import { readFromRoot, withGuestRoot } from '../internal/mount.js';
import { parseInstallSummary, type InstallSummary } from '../summary.js';
import { createImageArgs, guestSchema, planGuest, type GuestArgs, type GuestFacts } from './guest-plan.js';

/** Run the hooks inside the new guest's root; returns the `collect` files read from it afterwards. */
function runHooks(h: Host, a: GuestArgs): Promise<Record<string, string>> {
  return withGuestRoot(h, a.cfgDir, a.hostname, async (root) => {
    await applyInRoot(h, root, a.hooks, a.hostname);
    return readFromRoot(h, root, a.collect);
  });
}

/**
 * The summary from the xen-tools log, read on the raw connection: the root password it holds
 * never passes through command/output events, and is kept as a Secret.
 */
async function readSummary(h: Host, hostname: string): Promise<InstallSummary | undefined> {
  const r = await h.connection.exec(sh`sed -n '/^Installation Summary/,$p' ${`/var/log/xen-tools/${hostname}.log`}`);
  return r.code === 0 ? parseInstallSummary(r.stdout) : undefined;
}

function removeCommand(a: GuestArgs): Command {
  const backend = a.lvm ? `--lvm=${a.lvm}` : `--dir=${a.dir ?? '/srv/xen'}`;
  return sh`xen-delete-image ${backend} ${`--hostname=${a.hostname}`} && rm -f ${`${a.cfgDir}/${a.hostname}.cfg`}`;
}

function createStep(a: GuestArgs, force: boolean): Change {
  return {
    kind: 'call',
    describe: `xen-create-image ${createImageArgs(a, force).join(' ')}${a.hooks.length ? ` + ${a.hooks.length} hook task(s)` : ''}`,
    async run(h: Host) {
      // Console output minus the password line, so the run's events never carry the password.
      await h.run(sh`out=$(xen-create-image ${createImageArgs(a, force)} 2>&1); rc=$?; printf '%s\n' "$out" | sed '/^Root Password/d'; exit $rc`);
      let files: Record<string, string> = {};
      if (a.hooks.length || a.collect.length) {
        try {
          files = await runHooks(h, a);
        } catch (e) {
          // Like xen-create-image after a failed shell hook: remove the half-made guest, so the next run starts over.
          await h.run(removeCommand(a), { allowFail: true });
          throw new ModuleError(`guest ${a.hostname} removed again after a failed hook: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
        }
      }
      const summary = await readSummary(h, a.hostname);
      return { data: { ...(summary ? { summary } : {}), files } };
    },
  };
}

/**
 * A Xen guest made by xen-create-image, customised before its first boot by shipshape tasks
 * run inside its root filesystem (chroot on dom0). Exists and matches: ok. Never recreated
 * unless `force: true`, and then the message lists what is destroyed. The install summary
 * (root password as a Secret) is the task result's `data.summary`.
 * @example
 * guest({ hostname: 'web01', dist: 'bookworm', memory: '1G', size: '20G', vcpus: 2,
 *   ips: ['10.10.1.21'], netmask: '255.255.255.0', gateway: '10.10.1.1', bridge: 'xenbr0', dir: '/srv/xen',
 *   hooks: [lineinfile({ path: '/etc/motd', line: 'managed by shipshape' })], state: 'running' })
 */
export const guest = defineModule({
  name: 'xen.guest',
  description: 'Create, start, stop or remove a Xen guest with xen-create-image; hooks are shipshape tasks run in the guest root',
  schema: guestSchema,
  gather: async (h, a): Promise<GuestFacts> => ({ state: await readXenState(h, a.cfgDir) }),
  plan: (a, f): Plan => planGuest(a, f, createStep),
});

import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { changes, CommandError, ConnectError, defineModule, ModuleError, noChange, sh, type Host, type Plan } from '@shipshape/core';
import { z } from 'zod';
import { inspectBundle, stateDigest, type BundleInfo } from './bundle.js';
import { bootbankFact, esxcliSystemFact, esxiVersionFact, hostUuidFact, maintenanceModeFact, recoveryIdFact } from './facts.js';
import { maintenanceCommand } from './maintenance.js';
import { bootTime } from './internal/remote.js';
import { BundleDir, hostBundles } from './internal/store.js';
import type { RegisteredVm } from './parse.js';
import { listVms, startVm, stopVm } from './vm.js';

/** restore_config reads exactly this file (docs/platforms/esxi.md, config bundle). */
export const RESTORE_PATH = '/tmp/configBundle.tgz';

export const restoreConfigSchema = z
  .object({
    /** A bundle file on the controller, or a directory of `configBundle-<host>-<stamp>.tgz` (newest is used). */
    src: z.string().min(1).describe('A bundle file on the controller, or a directory of `configBundle-<host>-<stamp>.tgz` (newest is used).'),
    /** Restore a bundle made by another build or another host (UUID), or whose manifest names neither. */
    force: z.boolean().default(false).describe('Restore a bundle made by another build or another host (UUID), or whose manifest names neither.'),
    /** Shut down running VMs first (maintenance mode waits for them), and power on exactly those again after the restore; without it a host with running VMs is refused. */
    stopVms: z.boolean().default(false).describe('Shut down running VMs first (maintenance mode waits for them), and power on exactly those again after the restore; without it a host with running VMs is refused.'),
    /** Seconds a guest shutdown may take before the VM is powered off. */
    vmShutdownTimeoutSeconds: z.number().int().positive().default(120).describe('Seconds a guest shutdown may take before the VM is powered off.'),
    /** How long the host may take to reboot and accept SSH again. */
    rebootTimeoutSeconds: z.number().int().positive().default(900).describe('How long the host may take to reboot and accept SSH again.'),
  })
  .strict();
export type RestoreConfigArgs = z.output<typeof restoreConfigSchema>;

/** `restore_config [1] /tmp/configBundle.tgz`; the leading 1 (force) is the ESXi 7.x syntax. */
export const restoreCommand = (force: boolean) =>
  force ? sh`vim-cmd hostsvc/firmware/restore_config 1 ${RESTORE_PATH}` : sh`vim-cmd hostsvc/firmware/restore_config ${RESTORE_PATH}`;

export interface RestoreFacts {
  readonly host: string;
  readonly file: string;
  readonly bundle: BundleInfo;
  readonly build: string;
  /** The host's system UUID (`esxcli system uuid get`). */
  readonly uuid: string;
  readonly bootbank: boolean;
  readonly inMaintenance: boolean;
  /** esxcli has the `system` namespace (not on ESXi 4.x: vim-cmd then). */
  readonly esxcli: boolean;
  /** The host's recovery key id when its configuration is encrypted. */
  readonly recoveryId?: string;
  /** The VMs powered on now. */
  readonly runningVms: readonly RegisteredVm[];
  /** Digest of the configuration in /bootbank/state.tgz (undefined when there is none). */
  readonly stateDigest?: string;
}

/**
 * Pure: refuse, unless forced, a bundle of another build or another host (as restore_config does,
 * but before maintenance mode is entered) or one whose manifest does not say; nothing to do when
 * the host already holds the bundle's configuration.
 */
export function planRestoreConfig(args: RestoreConfigArgs, f: RestoreFacts): Plan {
  const { build: from, uuid: madeOn } = f.bundle.manifest;
  if (!args.force) {
    const force = ': set force: true to restore it anyway';
    if (!from) throw new ModuleError(`${f.file}: the bundle's Manifest.txt names no BUILD${force}`);
    if (from !== f.build) throw new ModuleError(`${f.file} was made by ESXi build ${from}, ${f.host} runs build ${f.build}${force}`);
    if (!madeOn) throw new ModuleError(`${f.file}: the bundle's Manifest.txt names no host UUID${force}`);
    if (madeOn !== f.uuid) throw new ModuleError(`${f.file} was made on the host with UUID ${madeOn}, ${f.host} has UUID ${f.uuid}${force}`);
  }
  if (!f.bootbank) throw new ModuleError(`${f.host}: cannot restore a config bundle: the host has no /bootbank (PXE-booted)`);
  if (f.stateDigest === f.bundle.configDigest) return noChange(`the saved configuration of ${f.host} already equals ${path.basename(f.file)}`);
  if (f.bundle.encrypted) {
    const recover =
      `restoring it would leave ${f.host} unable to decrypt its configuration at boot. Recover the key first: ` +
      'list it on the host that made the bundle (esxcli system settings encryption recovery list), boot this host with ' +
      'encryptionRecoveryKey=<that key> (Shift+O at boot), then run /sbin/auto-backup.sh; or restore a bundle made on this host';
    if (f.bundle.recoveryId && f.recoveryId && f.bundle.recoveryId !== f.recoveryId) {
      throw new ModuleError(`${f.file}: its configuration is encrypted with recovery key ${f.bundle.recoveryId}, ${f.host} has ${f.recoveryId}: ${recover}`);
    }
    if ((!f.bundle.recoveryId || !f.recoveryId) && !args.force) {
      throw new ModuleError(`${f.file}: its configuration is encrypted and the recovery key it needs cannot be told apart from ${f.host}'s; if it is another key, ${recover}. Set force: true to restore it anyway`);
    }
  }
  const vms = f.runningVms.map((v) => v.name).join(', ');
  if (vms && !args.stopVms) {
    throw new ModuleError(
      `${f.host}: VMs are running (${vms}): maintenance mode waits for them to be powered off; ` +
        'set stopVms: true to shut them down (guest shutdown, then power off) and power them on after the restore',
    );
  }
  const run = restoreRun(args, f, from ?? 'unknown');
  const enter = maintenanceCommand(true, f.esxcli);
  const leave = maintenanceCommand(false, f.esxcli);
  return changes(`restore ${path.basename(f.file)} (the host reboots)`, [
    { kind: 'call', describe: `upload to ${RESTORE_PATH}`, run: run.upload },
    ...(vms ? [{ kind: 'call' as const, describe: `stop ${vms} (guest shutdown, power off after ${args.vmShutdownTimeoutSeconds} s)`, run: run.stopVms }] : []),
    ...(f.inMaintenance ? [] : [{ kind: 'exec' as const, command: enter }]),
    { kind: 'call', describe: restoreCommand(args.force).display, run: run.restore },
    { kind: 'call', describe: 'wait for the host to reboot and reconnect', run: run.waitForReboot },
    ...(f.inMaintenance ? [] : [{ kind: 'call' as const, describe: leave.display, run: run.leaveMaintenance }]),
    ...(vms ? [{ kind: 'call' as const, describe: `power on ${vms}`, run: run.powerOnAgain }] : []),
  ], { result: { file: f.file, inMaintenance: f.inMaintenance, esxcli: f.esxcli, build: from ?? 'unknown', runningVms: f.runningVms } });
}

/**
 * The steps of a restore, sharing what they learn (the boot time before, the VMs stopped, whether the
 * host came back in maintenance mode); each says what is done so far as the task's message.
 */
function restoreRun(args: RestoreConfigArgs, f: RestoreFacts, build: string) {
  const leave = maintenanceCommand(false, f.esxcli);
  const stopped: string[] = [];
  let before = '';
  let inMaintenance = f.inMaintenance;
  let mm = '';
  const summary = () => {
    const vmNote = stopped.length ? `; ${stopped.join(', ')}, powered on again` : '';
    return { msg: `restored ${path.basename(f.file)} (build ${build}); host rebooted${mm}${vmNote}` };
  };
  const powerOnAgain = async (host: Host) => {
    // By .vmx path: the restored inventory may number the VMs differently.
    const now = await listVms(host);
    for (const v of f.runningVms) {
      const same = now.find((x) => x.vmx === v.vmx);
      if (!same) throw new ModuleError(`${host.name}: ${v.name} (${v.vmx}) is no longer registered after the restore: not powered on`);
      if (same.power !== 'on') await startVm(host, same);
    }
  };
  return {
    async upload(host: Host) {
      await host.connection.upload(await readFile(f.file), `${RESTORE_PATH}.part`, { mode: 0o600 });
      await host.run(sh`mv -f ${`${RESTORE_PATH}.part`} ${RESTORE_PATH}`);
      before = await bootTime(host);
    },
    async stopVms(host: Host) {
      for (const v of f.runningVms) stopped.push(`${v.name} ${await stopVm(host, v, args.vmShutdownTimeoutSeconds)}`);
    },
    async restore(host: Host) {
      const restore = restoreCommand(args.force);
      let r;
      try {
        r = await host.run(restore, { allowFail: true });
      } catch (e) {
        if (!(e instanceof ConnectError)) throw e; // the host went down under us: it is rebooting
      }
      // rc -1: the session ended without an exit status, cut by the reboot.
      if (r && r.code !== 0 && r.code !== -1) {
        if (!f.inMaintenance) await host.run(leave, { allowFail: true });
        if (!f.inMaintenance) await powerOnAgain(host);
        throw new CommandError(host.name, restore.display, r.code, r.stdout, r.stderr);
      }
    },
    async waitForReboot(host: Host) {
      await waitForReboot(host, before, args.rebootTimeoutSeconds * 1000);
      // Read again, not assumed: the restored configuration decides whether the host boots in maintenance mode.
      inMaintenance = await host.fact(maintenanceModeFact, undefined, { fresh: true });
      if (f.inMaintenance) mm = inMaintenance ? '' : '; the host came back out of maintenance mode (it was in it before)';
      else mm = inMaintenance ? ', maintenance mode entered and left' : ', maintenance mode entered; the host came back out of it';
      return summary();
    },
    async leaveMaintenance(host: Host) {
      if (inMaintenance) await host.run(leave);
      return summary();
    },
    async powerOnAgain(host: Host) {
      if (f.inMaintenance) throw new ModuleError(`${host.name}: restored, but the stopped VMs cannot be powered on in maintenance mode (${f.runningVms.map((v) => v.name).join(', ')})`);
      await powerOnAgain(host);
      return summary();
    },
  };
}

async function bundleFile(src: string, host: string): Promise<string> {
  const st = await stat(src).catch((e: Error) => {
    throw new ModuleError(`restoreConfig: src ${JSON.stringify(src)}: ${e.message}`);
  });
  if (!st.isDirectory()) return src;
  const newest = hostBundles(await new BundleDir(src).list(), host).at(-1);
  if (!newest) throw new ModuleError(`restoreConfig: src ${JSON.stringify(src)} holds no configBundle-${host}-<stamp>.tgz`);
  return path.join(src, newest);
}

async function readState(host: Host): Promise<string | undefined> {
  const r = await host.run(sh`cat /bootbank/state.tgz`, { allowFail: true });
  if (r.code !== 0) return undefined;
  try {
    return stateDigest(r.stdoutBytes);
  } catch {
    return undefined;
  }
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** How often a rebooting host is looked at again. */
const RETRY_MS = 500;

/** Whether the host still answers on its current connection (a reboot closes it). */
async function stillUp(host: Host): Promise<boolean> {
  try {
    return (await host.connection.exec(sh`true`, { timeoutMs: 10_000 })).code === 0;
  } catch (e) {
    if (e instanceof ConnectError) return false;
    throw e;
  }
}

/** Wait for the reboot, then reconnect through core's `Host.reconnect` (later tasks use the new connection). */
async function waitForReboot(host: Host, before: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const late = () => new ModuleError(`${host.name}: did not reboot within ${timeoutMs / 1000} s after restore_config`);
  // First see the old connection go (connecting while the host shuts down races with it).
  while (await stillUp(host)) {
    if (Date.now() > deadline) throw late();
    await pause(RETRY_MS);
  }
  for (;;) {
    await host.reconnect({ timeoutMs: Math.max(1000, deadline - Date.now()) });
    try {
      if ((await bootTime(host)) !== before) return;
    } catch (e) {
      if (!(e instanceof ConnectError)) throw e;
    }
    // Connected to the host before it went down: try again until it has rebooted.
    if (Date.now() > deadline) throw late();
    await pause(RETRY_MS);
  }
}

/**
 * Restore a config bundle: upload it to exactly `/tmp/configBundle.tgz`, enter maintenance mode,
 * `vim-cmd hostsvc/firmware/restore_config`, wait for the reboot and the SSH connection to come
 * back, then leave maintenance mode again (when the host was not in it before). Refuses a bundle
 * from another build unless `force`. `ok` without a reboot when /bootbank/state.tgz already holds
 * the bundle's configuration. Works from a plain `run()` and the CLI: the runner re-opens the
 * host's connection after the reboot (`Host.reconnect`), and later tasks use the new one.
 * @example
 * restoreConfig({ src: 'backups/esxi' }) // newest configBundle-<host>-*.tgz of each host
 */
export const restoreConfig = defineModule({
  name: 'esxi.restoreConfig',
  description: 'Restore an ESXi config bundle (maintenance mode, reboot, reconnect)',
  schema: restoreConfigSchema,
  async gather(host, args): Promise<RestoreFacts> {
    const file = await bundleFile(args.src, host.name);
    const [data, version, uuid, bootbank, inMaintenance, esxcli] = await Promise.all([
      readFile(file),
      host.fact(esxiVersionFact, undefined),
      host.fact(hostUuidFact, undefined),
      host.fact(bootbankFact, undefined, { fresh: true }),
      host.fact(maintenanceModeFact, undefined, { fresh: true }),
      host.fact(esxcliSystemFact, undefined),
    ]);
    const recoveryId = await host.fact(recoveryIdFact, undefined);
    const stateDigestNow = bootbank ? await readState(host) : undefined;
    const runningVms = (await listVms(host)).filter((v) => v.power === 'on').map(({ id, name, vmx }) => ({ id, name, vmx }));
    return {
      host: host.name, file, bundle: inspectBundle(data, file), build: version.build, uuid, bootbank, inMaintenance, esxcli, recoveryId, runningVms, stateDigest: stateDigestNow,
    };
  },
  plan: planRestoreConfig,
});


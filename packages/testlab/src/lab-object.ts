import { spawnSync } from 'node:child_process';
import { sshConnect, type HostSpec, type InventoryView, type SshConnection } from '@shipshape/core';
import { destroyLabDir } from './admin.js';
import { LabError } from './errors.js';
import { bmcPower } from './internal/bmc.js';
import { killAll, processesOf } from './internal/cleanup.js';
import { launchHost, listenCount, livePid, rebootHost, waitBooted, type HostRecord } from './internal/host.js';
import { runProgram, type ProcResult } from './internal/proc.js';
import { saveState, type LabState } from './internal/state.js';
import { labInventory, type InventoryEntry } from './inventory.js';

/** A lab host as tests see it. */
export interface LabHost {
  readonly name: string;
  readonly profile: string;
  /** 127.77.<lab id>.<n> */
  readonly address: string;
  readonly port: number;
  /** The host's filesystem, readable (and writable) from the controller. */
  readonly root: string;
  /** Its BMC (profiles with `bmc`): ipmi_sim on the host's address, UDP 623. */
  readonly bmc?: { readonly address: string; readonly port: number; readonly user: string; readonly password: string };
}

/** Cleanups of this process's labs that are still running, run once when the process exits. */
const onExit = new Set<() => void>();
process.once('exit', () => onExit.forEach((f) => f()));

const EXEC_ENV = { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', HOME: '/root', USER: 'root', LOGNAME: 'root', LANG: 'C.UTF-8' };

/** A running lab (see startLab). Every method works on the state in `<dir>/state.json`. */
export class Lab {
  readonly id: number;
  readonly dir: string;
  readonly hosts: readonly LabHost[];
  readonly keyPath: string;
  readonly knownHostsPath: string;
  readonly inventoryPath: string;
  readonly inventory: InventoryView;
  #exitHook?: () => void;
  readonly #connections: SshConnection[] = [];

  constructor(private readonly state: LabState, readonly timeoutMs: number) {
    ({ id: this.id, dir: this.dir, keyPath: this.keyPath, knownHostsPath: this.knownHostsPath, inventoryPath: this.inventoryPath } = state);
    this.hosts = state.hosts.map(({ name, profile, address, port, root, bmc }) => ({
      name, profile, address, port, root, ...(bmc ? { bmc: { address: bmc.address, port: bmc.port, user: bmc.user, password: bmc.password } } : {}),
    }));
    this.inventory = labInventory(this.entries());
  }

  /** Inventory entries: each host's spec grouped by profile. */
  entries(): InventoryEntry[] {
    return this.state.hosts.map((h) => ({ spec: this.hostSpec(h.name), group: h.profile }));
  }

  #record(name: string): HostRecord {
    const h = this.state.hosts.find((x) => x.name === name);
    if (!h) throw new LabError(`lab ${this.id} has no host ${JSON.stringify(name)} (hosts: ${this.state.hosts.map((x) => x.name).join(', ')})`);
    return h;
  }

  /** The core HostSpec to reach `name` over SSH as root with the lab key, host key checked. */
  hostSpec(name: string): HostSpec {
    const h = this.#record(name);
    const bmc = h.bmc ? { bmc_address: h.bmc.address, bmc_user: h.bmc.user, bmc_password: h.bmc.password } : {};
    return {
      name,
      vars: { lab_profile: h.profile, ansible_host: h.address, ...bmc },
      connection: {
        type: 'ssh', host: h.address, port: h.port, user: 'root', privateKeyPath: this.keyPath,
        hostKeyPolicy: 'strict', knownHostsFile: this.knownHostsPath,
      },
    };
  }

  /** Run shell text as root inside the host (its namespaces and root, via nsenter; no SSH). */
  async exec(name: string, shellText: string, options: { stdin?: string | Buffer } = {}): Promise<ProcResult> {
    const h = this.#record(name);
    const pid = livePid(h);
    if (!pid) throw new LabError(`lab host ${name} is not running`);
    const args = ['-t', String(pid), '-m', '-u', '-p', '-r', '-w', '--', '/bin/sh', '-c', shellText];
    return runProgram('nsenter', args, { env: EXEC_ENV, input: options.stdin });
  }

  /** Kill every process of the host (its sshd port then refuses); its filesystem and its BMC stay. */
  async stopHost(name: string): Promise<void> {
    const h = this.#record(name);
    await killAll(processesOf(h.dir).concat(livePid(h) ?? []).filter((p) => p !== h.bmc?.pid), `lab host ${name}`);
    h.pid = undefined;
    h.launcherPid = undefined;
    saveState(this.state);
  }

  /** Start a stopped host again (boot.sh runs, setup.sh does not). */
  async startHost(name: string): Promise<void> {
    const h = this.#record(name);
    if (livePid(h)) return;
    await launchHost(h, this.timeoutMs);
    saveState(this.state);
  }

  /**
   * Make the host hang (SIGSTOP to every process but its supervisor): connections to its sshd
   * open and then get no answer, while its BMC still says the power is on. `resumeHost` undoes it;
   * a BMC power off ends it (the processes are killed).
   */
  hangHost(name: string): void {
    this.#signalHost(name, 'SIGSTOP');
  }

  resumeHost(name: string): void {
    this.#signalHost(name, 'SIGCONT');
  }

  #signalHost(name: string, signal: NodeJS.Signals): void {
    const h = this.#record(name);
    const keep = new Set([livePid(h), h.bmc?.pid]);
    for (const pid of processesOf(h.dir).filter((p) => !keep.has(p) && p !== h.launcherPid)) {
      try {
        process.kill(pid, signal);
      } catch {
        // gone
      }
    }
  }

  /** Make the host's BMC unreachable (its ipmi_sim stopped: requests get no answer), or reachable again. */
  setBmcReachable(name: string, reachable: boolean): void {
    const pid = this.#bmc(name).pid;
    if (!pid) throw new LabError(`the BMC of lab host ${name} is not running`);
    process.kill(pid, reachable ? 'SIGCONT' : 'SIGSTOP');
  }

  /** The chassis power state the host's BMC reports (read from its state, not over IPMI). */
  bmcPower(name: string): 'on' | 'off' {
    this.#bmc(name);
    return bmcPower(this.#record(name).dir);
  }

  #bmc(name: string) {
    const b = this.#record(name).bmc;
    if (!b) throw new LabError(`lab host ${name} has no BMC (its profile has no "bmc": true)`);
    return b;
  }

  /** Simulated reboot (as /sbin/lab-reboot inside the host): resolves when the new sshd listens. */
  async rebootHost(name: string): Promise<void> {
    await rebootHost(this.#record(name), this.timeoutMs);
  }

  /** How many times the host has booted (sshd started) since it was created: 1 after startLab. */
  bootCount(name: string): number {
    return listenCount(this.#record(name));
  }

  /**
   * Wait until the host has booted more than `after` times: for reboots triggered inside the host
   * (`/sbin/lab-reboot` over SSH). Take `after` from bootCount() before triggering.
   */
  async waitBooted(name: string, after: number): Promise<void> {
    await waitBooted(this.#record(name), after, this.timeoutMs);
  }

  /** An SSH connection to host `name` as the inventory reaches it; stop() closes it. */
  async connect(name: string): Promise<SshConnection> {
    const c = await sshConnect(name, this.hostSpec(name).connection);
    this.#connections.push(c);
    return c;
  }

  /** Close the connections of connect(), stop every host, unmount, delete the lab directory. */
  async stop(): Promise<void> {
    if (this.#exitHook) onExit.delete(this.#exitHook);
    await Promise.allSettled(this.#connections.splice(0).map((c) => c.close()));
    await destroyLabDir(this.dir);
  }

  /** Kill the hosts and detach the mounts synchronously if this process exits without stop(). */
  stopOnExit(): void {
    this.#exitHook = () => {
      for (const pid of processesOf(this.dir)) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // gone
        }
      }
      for (const h of this.state.hosts) spawnSync('umount', ['-l', h.root]);
    };
    onExit.add(this.#exitHook);
  }
}

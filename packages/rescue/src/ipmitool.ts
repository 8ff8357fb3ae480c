/**
 * A host's BMC through the real `ipmitool -I lanplus`, run on the controller (the BMC sits on the
 * management network, not on the host). The password travels in `IPMI_PASSWORD` (`-E`), never on
 * the command line. Output lines and exit codes: docs/platforms/esxi.md, "BMC power (ipmitool)".
 */
import { spawn } from 'node:child_process';
import { ArgumentError, maskSecrets, Secret, ShipshapeError, type Vars } from '@shipshape/core';

/** Where and how to reach one BMC. */
export interface BmcTarget {
  /** The host the BMC belongs to (for messages). */
  readonly host: string;
  readonly address: string;
  /** @default 623 */
  readonly port?: number;
  readonly user: string;
  readonly password: string | Secret;
  /** RMCP+ cipher suite (`-C`). @default 3 */
  readonly cipher?: number;
  /** Retries per request (`-R`). @default 2 */
  readonly retries?: number;
  /** Seconds per try (`-N`). @default 1 */
  readonly timeoutSeconds?: number;
}

export type ChassisPower = 'on' | 'off';
/** `chassis power` controls: off is hard (`Down/Off`), soft asks the OS (ACPI). */
export type PowerControl = 'on' | 'off' | 'cycle' | 'reset' | 'soft';

/** ipmitool failed: `unreachable` when no session could be set up (no answer, or the credentials were refused). */
export class BmcError extends ShipshapeError {
  constructor(
    readonly host: string,
    readonly kind: 'unreachable' | 'rejected' | 'unexpected',
    message: string,
    readonly exitCode?: number,
    options?: { cause?: unknown },
  ) {
    super('COMMAND', `${host}: BMC ${message}`, options);
  }
}

const text = (v: unknown): string | undefined => (v instanceof Secret ? v.value : typeof v === 'string' || typeof v === 'number' ? String(v) : undefined);

function wholeVar(host: string, vars: Vars, name: string, min: number, max: number): number | undefined {
  const v = vars[name];
  if (v === undefined) return undefined;
  const n = Number(text(v));
  if (!Number.isInteger(n) || n < min || n > max) throw new ArgumentError(`host ${host}: var ${name} has bad value ${JSON.stringify(v)}: expected a whole number ${min}..${max}`, name, v);
  return n;
}

/**
 * The BMC of a host from its inventory vars: `bmc_address`, `bmc_user`, `bmc_password` (a vaulted
 * value is fine), optional `bmc_port`, `bmc_cipher`, `bmc_retries`, `bmc_timeout`. A missing or bad
 * var is an ArgumentError naming the host and the var.
 */
export function bmcFromVars(host: string, vars: Vars): BmcTarget {
  const need = (name: string): string => {
    const v = text(vars[name]);
    if (!v) throw new ArgumentError(`host ${host}: var ${name} ${vars[name] === undefined ? 'is missing' : `has bad value ${JSON.stringify(vars[name])}`}: the BMC needs bmc_address, bmc_user and bmc_password`, name, vars[name]);
    return v;
  };
  const address = need('bmc_address');
  if (!/^[A-Za-z0-9][A-Za-z0-9.:_-]*$/.test(address)) throw new ArgumentError(`host ${host}: var bmc_address has bad value ${JSON.stringify(address)}: expected a host name or IP address`, 'bmc_address', address);
  return {
    // A Secret: masked wherever it could be shown, whether or not the inventory vaulted it.
    host, address, user: need('bmc_user'), password: new Secret(need('bmc_password')),
    port: wholeVar(host, vars, 'bmc_port', 1, 65535), cipher: wholeVar(host, vars, 'bmc_cipher', 0, 17),
    retries: wholeVar(host, vars, 'bmc_retries', 1, 10), timeoutSeconds: wholeVar(host, vars, 'bmc_timeout', 1, 60),
  };
}

/** The ipmitool command line (the password is not on it: `-E` reads IPMI_PASSWORD). */
export function ipmitoolArgs(t: BmcTarget, command: readonly string[]): string[] {
  return ['-I', 'lanplus', '-C', String(t.cipher ?? 3), '-H', t.address, '-p', String(t.port ?? 623), '-U', t.user, '-E',
    '-R', String(t.retries ?? 2), '-N', String(t.timeoutSeconds ?? 1), ...command];
}

export interface IpmitoolResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Run ipmitool against the BMC; never throws on a non-zero exit (a missing ipmitool is a BmcError). */
export function ipmitool(t: BmcTarget, command: readonly string[]): Promise<IpmitoolResult> {
  const args = ipmitoolArgs(t, command);
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', IPMI_PASSWORD: t.password.toString() };
  // ipmitool bounds itself with -R/-N; this only guards against a tool that never returns.
  const guardMs = ((t.retries ?? 2) + 1) * (t.timeoutSeconds ?? 1) * 1000 + 15000;
  return new Promise((resolve, reject) => {
    const child = spawn('ipmitool', args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const timer = setTimeout(() => child.kill('SIGKILL'), guardMs);
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new BmcError(t.host, 'unexpected', `cannot run ipmitool (apt-get install ipmitool): ${e.message}`, undefined, { cause: e }));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
  });
}

const firstLines = (s: string) => JSON.stringify(maskSecrets(s.trim().split('\n').slice(0, 3).join(' | ')).slice(0, 300));

function failure(t: BmcTarget, what: string, r: IpmitoolResult): BmcError {
  const all = `${r.stderr}\n${r.stdout}`;
  const kind = /Unable to establish IPMI v2 \/ RMCP\+ session|RAKP \d message indicates an error/.test(all) ? 'unreachable'
    : /failed:|Unable to set Chassis Power Control/.test(all) ? 'rejected' : 'unexpected';
  return new BmcError(t.host, kind, `${t.address}: ipmitool ${what} failed (rc=${r.code}): ${firstLines(r.stderr || r.stdout)}`, r.code);
}

/** `chassis power status` prints `Chassis Power is on` or `Chassis Power is off`. */
export function parsePowerStatus(stdout: string): ChassisPower | undefined {
  const m = /^Chassis Power is (on|off)\s*$/m.exec(stdout);
  return m ? (m[1] as ChassisPower) : undefined;
}

/** A control prints `Chassis Power Control: Up/On|Down/Off|Cycle|Reset|Soft`: the part after the colon. */
export function parsePowerControl(stdout: string): string | undefined {
  return /^Chassis Power Control: (Up\/On|Down\/Off|Cycle|Reset|Soft)\s*$/m.exec(stdout)?.[1];
}

/** The chassis power state the BMC reports; a BmcError when it does not answer or prints something else. */
export async function chassisPowerStatus(t: BmcTarget): Promise<ChassisPower> {
  const r = await ipmitool(t, ['chassis', 'power', 'status']);
  const power = r.code === 0 ? parsePowerStatus(r.stdout) : undefined;
  if (!power) throw failure(t, 'chassis power status', r);
  return power;
}

/** Send a chassis power control; resolves to what ipmitool confirmed (`Down/Off`, ...). */
export async function chassisPower(t: BmcTarget, control: PowerControl): Promise<string> {
  const r = await ipmitool(t, ['chassis', 'power', control]);
  const done = r.code === 0 ? parsePowerControl(r.stdout) : undefined;
  if (!done) throw failure(t, `chassis power ${control}`, r);
  return done;
}

/**
 * A lab host's BMC: Debian openipmi's real `ipmi_sim` on the host's own address, UDP 623, driven by
 * the real `ipmitool -I lanplus`. Its chassis control program (`src/sh/bmc-chassis`) powers the
 * host off (the supervisor kills every process of the host and runs the profiles' poweroff.sh) and
 * on (the host boots). It runs on the machine, outside the host: a powered-off host still answers
 * on its BMC, as a server's BMC does on standby power.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { LabError } from '../errors.js';
import { shDir } from './paths.js';
import { isAlive, waitUntil } from './proc.js';

/** The BMC of a host as recorded in state.json. */
export interface BmcRecord {
  readonly address: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  pid?: number;
}

/** The standard IPMI-over-LAN port (RMCP). */
export const IPMI_PORT = 623;

export function newBmc(address: string): BmcRecord {
  return { address, port: IPMI_PORT, user: 'admin', password: randomBytes(12).toString('base64url') };
}

const bmcDir = (hostDir: string) => path.join(hostDir, 'bmc');

/** lan.conf (ipmi_lan(5)): one LAN channel on the host's address, one admin user, our chassis control. */
export function lanConf(name: string, b: BmcRecord, chassis: string): string {
  return `# BMC of lab host ${name} (generated; see man ipmi_lan)
name "${name}"
set_working_mc 0x20
  startlan 1
    addr ${b.address} ${b.port}
    priv_limit admin
    allowed_auths_callback none md2 md5 straight
    allowed_auths_user none md2 md5 straight
    allowed_auths_operator none md2 md5 straight
    allowed_auths_admin none md2 md5 straight
    guid ${randomBytes(16).toString('hex')}
  endlan
  chassis_control "${chassis}"
  user 2 true "${b.user}" "${b.password}" admin 10 none md2 md5 straight
`;
}

/** ipmi_sim's command file (ipmi_sim_cmd(5)): the BMC itself; mc_setbmc must come first. */
const EMU_COMMANDS = `mc_setbmc 0x20
mc_add 0x20 0 no-device-sdrs 0x23 9 8 0x9f 0x1291 0xf02 persist_sdr
mc_enable 0x20
`;

/** `127.77.1.2:623` as /proc/net/udp writes a local address: `0201 4D7F:026F` (little-endian hex). */
export function procNetAddress(address: string, port: number): string {
  const hex = address.split('.').map((o) => Number(o).toString(16).padStart(2, '0').toUpperCase()).reverse().join('');
  return `${hex}:${port.toString(16).padStart(4, '0').toUpperCase()}`;
}

const udpBound = (b: BmcRecord) => readFileSync('/proc/net/udp', 'utf8').includes(` ${procNetAddress(b.address, b.port)} `);

/** Write the BMC's files and start ipmi_sim detached; resolves when its UDP port is bound. */
export async function startBmc(name: string, hostDir: string, b: BmcRecord, timeoutMs: number): Promise<void> {
  if (!existsSync('/usr/bin/ipmi_sim')) throw new LabError(`the BMC of lab host ${name} needs ipmi_sim: apt-get install openipmi`);
  const dir = bmcDir(hostDir);
  await mkdir(path.join(dir, 'state'), { recursive: true, mode: 0o700 });
  const chassis = path.join(dir, 'chassis');
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  await writeFile(chassis, `#!/bin/sh\nexec /bin/sh ${q(path.join(shDir, 'bmc-chassis'))} ${q(hostDir)} "$@"\n`, { mode: 0o700 });
  await writeFile(path.join(dir, 'lan.conf'), lanConf(name, b, chassis), { mode: 0o600 });
  await writeFile(path.join(dir, 'emu.cmds'), EMU_COMMANDS);
  await writeFile(path.join(dir, 'power'), '1\n');
  const log = openSync(path.join(dir, 'ipmi_sim.log'), 'a');
  const child = spawn('/usr/bin/ipmi_sim', ['-n', '-c', path.join(dir, 'lan.conf'), '-f', path.join(dir, 'emu.cmds'), '-s', path.join(dir, 'state')], {
    detached: true, stdio: ['ignore', log, log], env: { PATH: process.env.PATH },
  });
  closeSync(log);
  child.unref();
  b.pid = child.pid;
  await waitUntil(() => udpBound(b), `the BMC of lab host ${name} (ipmi_sim on ${b.address} UDP ${b.port})`, {
    timeoutMs,
    failed: () => (isAlive(b.pid) ? undefined : 'ipmi_sim exited'),
    detail: () => readFileSync(path.join(dir, 'ipmi_sim.log'), 'utf8').split('\n').slice(-10).join('\n'),
  });
}

/** What the BMC's power file says: the chassis power state ipmitool reads. */
export function bmcPower(hostDir: string): 'on' | 'off' {
  return readFileSync(path.join(bmcDir(hostDir), 'power'), 'utf8').trim() === '0' ? 'off' : 'on';
}

/**
 * ESXi facts: each a command plus a pure parser (cached per host and run by `host.fact`).
 */
import { ModuleError, raw, sh, type ExecResult, type FactDef } from '@shipshape/core';
import { parseEsxcliVersion, parseMaintenanceMode, parseUuid, parseVmwareVersion, type EsxiRelease, type EsxiVersion } from './parse.js';

function ok(r: ExecResult, what: string): string {
  if (r.code !== 0) throw new ModuleError(`${what} failed (rc=${r.code}): ${(r.stderr || r.stdout).trim()}`);
  return r.stdout;
}

/** Product, version and build from `vmware -v`. */
export const esxiVersionFact: FactDef<EsxiVersion> = {
  name: 'esxi.version',
  command: () => sh`vmware -v`,
  parse: (r) => parseVmwareVersion(ok(r, 'vmware -v')),
};

/** Version, build, update and patch from `esxcli system version get`. */
export const esxiReleaseFact: FactDef<EsxiRelease> = {
  name: 'esxi.release',
  command: () => sh`esxcli system version get`,
  parse: (r) => parseEsxcliVersion(ok(r, 'esxcli system version get')),
};

/** The host's system UUID (`esxcli system uuid get`), which a config bundle's manifest records. */
export const hostUuidFact: FactDef<string> = {
  name: 'esxi.uuid',
  command: () => sh`esxcli system uuid get`,
  parse: (r) => parseUuid(ok(r, 'esxcli system uuid get')),
};

/** Whether the host is in maintenance mode (`esxcli system maintenanceMode get`). */
export const maintenanceModeFact: FactDef<boolean> = {
  name: 'esxi.maintenanceMode',
  command: () => sh`esxcli system maintenanceMode get`,
  parse: (r) => parseMaintenanceMode(ok(r, 'esxcli system maintenanceMode get')),
};

/** Whether `/bootbank` exists: PXE-booted hosts have none and cannot persist configuration. */
export const bootbankFact: FactDef<boolean> = {
  name: 'esxi.bootbank',
  command: () => sh`${raw('if [ -d /bootbank ]; then echo present; else echo absent; fi')}`,
  parse: (r) => parseBootbank(ok(r, 'test -d /bootbank')),
};

export function parseBootbank(stdout: string): boolean {
  const word = stdout.trim();
  if (word === 'present' || word === 'absent') return word === 'present';
  throw new ModuleError(`test -d /bootbank: unexpected output ${JSON.stringify(word)}`);
}

/** The ESXi facts in one object, for `shipshape facts` and `gatherFacts`-style use. */
export const esxiFacts = {
  esxi_version: esxiVersionFact,
  esxi_release: esxiReleaseFact,
  esxi_maintenance_mode: maintenanceModeFact,
  esxi_bootbank: bootbankFact,
  esxi_uuid: hostUuidFact,
} as const;

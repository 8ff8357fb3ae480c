/**
 * ESXi facts: each a command plus a pure parser (cached per host and run by `host.fact`).
 */
import { ModuleError, raw, sh, type ExecResult, type FactDef } from '@shipshape/core';
import { parseEsxcliVersion, parseEncryptionMode, parseHostSummaryMaintenance, parseMaintenanceMode, parseUuid, parseVmwareRelease, parseVmwareVersion, type EsxiRelease, type EsxiVersion } from './parse.js';

function ok(r: ExecResult, what: string): string {
  if (r.code !== 0) throw new ModuleError(`${what} failed (rc=${r.code}): ${(r.stderr || r.stdout).trim()}`);
  return r.stdout;
}

/**
 * The line a fact's command prints before the fallback's output when esxcli lacks the `system`
 * namespace (ESXi 4.x): one round trip either way, and the parser knows which it reads.
 */
const FALLBACK = '#esxcli-system-unavailable';
const orFallback = (esxcli: string, fallback: string) => sh`${raw(`${esxcli} 2>/dev/null || { echo '${FALLBACK}'; ${fallback}; }`)}`;
/** The fallback's output when the command printed the marker, else undefined. */
function fallbackOutput(stdout: string): string | undefined {
  return stdout.startsWith(`${FALLBACK}\n`) ? stdout.slice(FALLBACK.length + 1) : undefined;
}

/** Product, version and build from `vmware -v`. */
export const esxiVersionFact: FactDef<EsxiVersion> = {
  name: 'esxi.version',
  command: () => sh`vmware -v`,
  parse: (r) => parseVmwareVersion(ok(r, 'vmware -v')),
};

/**
 * A fact read with an esxcli `system` command, or on ESXi 4.x (no esxcli `system`) with `legacy`, in one
 * round trip: `parse` reads esxcli's output, `parseLegacy` the fallback's.
 */
function esxcliFact<T>(name: string, esxcli: string, legacy: string, parse: (out: string) => T, parseLegacy: (out: string) => T): FactDef<T> {
  return {
    name,
    command: () => orFallback(esxcli, legacy),
    parse: (r) => {
      const out = ok(r, esxcli);
      const old = fallbackOutput(out);
      return old === undefined ? parse(out) : parseLegacy(old);
    },
  };
}

/** Version, build, update and patch from `esxcli system version get`; on ESXi 4.x from `vmware -v` and `vmware -l` (no patch level there). */
export const esxiReleaseFact: FactDef<EsxiRelease> = esxcliFact('esxi.release', 'esxcli system version get', 'vmware -v && vmware -l', parseEsxcliVersion, parseVmwareRelease);

/**
 * The host's system UUID (`esxcli system uuid get`), which a config bundle's manifest records;
 * on ESXi 4.x the `/system/uuid` line of /etc/vmware/esx.conf.
 */
export const hostUuidFact: FactDef<string> = esxcliFact('esxi.uuid', 'esxcli system uuid get', `sed -n 's|^/system/uuid = "\\(.*\\)"$|\\1|p' /etc/vmware/esx.conf`, parseUuid, parseUuid);

/** Whether the host is in maintenance mode (`esxcli system maintenanceMode get`; ESXi 4.x: `vim-cmd hostsvc/hostsummary`). */
export const maintenanceModeFact: FactDef<boolean> = esxcliFact('esxi.maintenanceMode', 'esxcli system maintenanceMode get', 'vim-cmd hostsvc/hostsummary', parseMaintenanceMode, parseHostSummaryMaintenance);

/**
 * The configuration encryption mode (`esxcli system settings encryption get`: `TPM` or `NONE`),
 * `unsupported` on releases without that command (before 7.0 U2).
 */
export const encryptionModeFact: FactDef<string> = esxcliFact('esxi.encryptionMode', 'esxcli system settings encryption get', 'true', parseEncryptionMode, () => 'unsupported');

/** The recovery key id of an encrypted configuration (`esxcli system settings encryption recovery list`), or undefined. */
export const recoveryIdFact: FactDef<string | undefined> = esxcliFact('esxi.recoveryId', 'esxcli system settings encryption recovery list', 'true',
  (out) => /^(\{[0-9A-Fa-f-]+\})\s/m.exec(out)?.[1], () => undefined);

/** Whether esxcli has the `system` namespace (ESXi 5.0 and later; not 4.x). */
export const esxcliSystemFact: FactDef<boolean> = {
  name: 'esxi.esxcliSystem',
  command: () => sh`${raw("if esxcli system version get >/dev/null 2>&1; then echo present; else echo absent; fi")}`,
  parse: (r) => ok(r, 'esxcli system version get').trim() === 'present',
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
  esxi_esxcli_system: esxcliSystemFact,
  esxi_encryption_mode: encryptionModeFact,
} as const;

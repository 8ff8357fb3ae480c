/**
 * Pure parsers of ESXi tool output (docs/platforms/esxi.md). Each takes the text a command printed
 * and returns typed data, or throws ModuleError naming the command and the unexpected text.
 */
import { ModuleError } from '@shipshape/core';

/** `vmware -v`: `VMware ESXi 6.7.0 build-10302608`. */
export interface EsxiVersion {
  readonly product: string;
  readonly version: string;
  readonly build: string;
}

/** `esxcli system version get`: the version plus update and patch levels. */
export interface EsxiRelease extends EsxiVersion {
  readonly update?: string;
  readonly patch?: string;
}

const firstLine = (text: string) => text.trim().split('\n')[0]?.trim() ?? '';
const unexpected = (command: string, text: string) =>
  new ModuleError(`${command}: unexpected output ${JSON.stringify(text.trim().slice(0, 200))}`);

export function parseVmwareVersion(stdout: string): EsxiVersion {
  const m = /^(VMware ESXi?)\s+(\S+)\s+build-(\d+)$/.exec(firstLine(stdout));
  if (!m) throw unexpected('vmware -v', stdout);
  return { product: m[1]!, version: m[2]!, build: m[3]! };
}

/** `vmware -v` then `vmware -l` (`VMware ESXi 4.1.0 Update 1` or `... GA`): the release without esxcli. */
export function parseVmwareRelease(stdout: string): EsxiRelease {
  const v = parseVmwareVersion(stdout);
  const l = /^VMware ESXi?\s+\S+\s+(?:Update (\d+)|GA)\s*$/m.exec(stdout);
  return { ...v, update: l ? l[1] ?? '0' : undefined };
}

/** `esxcli system settings encryption get`: its `Mode:` line (`TPM`, `NONE`). */
export function parseEncryptionMode(stdout: string): string {
  const m = /^\s*Mode:\s*(\S+)\s*$/m.exec(stdout);
  if (!m) throw unexpected('esxcli system settings encryption get', stdout);
  return m[1]!;
}

/** `vim-cmd hostsvc/hostsummary`: its `inMaintenanceMode = true|false,` line. */
export function parseHostSummaryMaintenance(stdout: string): boolean {
  const m = /^\s*inMaintenanceMode = (true|false),?\s*$/m.exec(stdout);
  if (!m) throw unexpected('vim-cmd hostsvc/hostsummary', stdout);
  return m[1] === 'true';
}

export function parseEsxcliVersion(stdout: string): EsxiRelease {
  const fields = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const m = /^\s*([A-Za-z]+):\s*(.*?)\s*$/.exec(line);
    if (m) fields.set(m[1]!, m[2]!);
  }
  const build = /(\d+)$/.exec(fields.get('Build') ?? '')?.[1];
  const version = fields.get('Version');
  if (!build || !version) throw unexpected('esxcli system version get', stdout);
  return {
    product: fields.get('Product') ?? 'VMware ESXi',
    version,
    build,
    update: fields.get('Update'),
    patch: fields.get('Patch'),
  };
}

/** `esxcli system maintenanceMode get`: exactly `Enabled` or `Disabled`. */
export function parseMaintenanceMode(stdout: string): boolean {
  const word = firstLine(stdout);
  if (word === 'Enabled') return true;
  if (word === 'Disabled') return false;
  throw unexpected('esxcli system maintenanceMode get', stdout);
}

/** `esxcli system uuid get`: one UUID. */
export function parseUuid(stdout: string): string {
  const word = stdout.trim();
  if (/^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$/i.test(word)) return word;
  throw unexpected('esxcli system uuid get', stdout);
}

/** What `/sbin/auto-backup.sh` reported. */
export interface AutoBackupOutput {
  /** It wrote `/bootbank/state.tgz` (`Saving current state in /bootbank`). */
  readonly saved: boolean;
  /** Files it found different (from diff's `---`/`Binary files`/`can't stat` lines). */
  readonly files: readonly string[];
}

export function parseAutoBackup(stdout: string): AutoBackupOutput {
  const files = new Set<string>();
  for (const line of stdout.split('\n')) {
    const m =
      /^--- (\/etc\/\S+)/.exec(line) ??
      /^Binary files (\/etc\/\S+) and /.exec(line) ??
      /^diff: can't stat '\/tmp\/auto-backup\.[^/]*\/(\/etc\/[^']+)'/.exec(line);
    if (m) files.add(m[1]!);
  }
  return { saved: /^Saving current state in \/bootbank\s*$/m.test(stdout), files: [...files] };
}

/** The bundle `vim-cmd hostsvc/firmware/backup_config` made: its URL and path on the host. */
export interface BundleLocation {
  readonly url: string;
  /** Where the file sits on the host: `/scratch/downloads/<uuid>/configBundle-<host>.tgz`. */
  readonly path: string;
  readonly fileName: string;
}

export function parseBackupConfig(stdout: string): BundleLocation {
  const m = /Bundle can be downloaded at : (\S+)/.exec(stdout);
  const url = m?.[1];
  const rel = url && /^https?:\/\/[^/]+\/downloads\/((?:[^/]+\/)?(configBundle-[^/]+\.tgz))$/.exec(url);
  if (!url || !rel || rel[1]!.split('/').some((p) => p === '..' || p === '.')) {
    throw unexpected('vim-cmd hostsvc/firmware/backup_config', stdout);
  }
  return { url, path: `/scratch/downloads/${rel[1]}`, fileName: rel[2]! };
}

/** `Manifest.txt` of a config bundle (KEY=value lines; unverified, see docs/platforms/esxi.md). */
export interface BundleManifest {
  readonly build?: string;
  readonly uuid?: string;
  readonly version?: string;
  readonly hostname?: string;
}

export function parseManifest(text: string): BundleManifest {
  const kv = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^\s*([A-Za-z]+)\s*=\s*(.*?)\s*$/.exec(line);
    if (m) kv.set(m[1]!.toUpperCase(), m[2]!);
  }
  return { build: kv.get('BUILD'), uuid: kv.get('UUID'), version: kv.get('VERSION'), hostname: kv.get('HOSTNAME') };
}

/** A VM registered on the host (`vim-cmd vmsvc/getallvms`). */
export interface RegisteredVm {
  readonly id: string;
  readonly name: string;
  /** Datastore path: `[datastore1] web1/web1.vmx`. */
  readonly vmx: string;
}

/**
 * `vim-cmd vmsvc/getallvms`: a `Vmid Name File Guest OS Version Annotation` header, then one row
 * per VM; the file is the `[datastore] dir/name.vmx` column (names may hold spaces; vSphere
 * escapes `%`, `/` and `\` in them).
 */
export function parseGetAllVms(stdout: string): RegisteredVm[] {
  const lines = stdout.split('\n');
  if (!/^Vmid\s+Name\s+File\s/.test(lines[0] ?? '')) throw unexpected('vim-cmd vmsvc/getallvms', stdout);
  const vms: RegisteredVm[] = [];
  for (const line of lines.slice(1)) {
    if (!line.trim()) continue;
    const m = /^(\d+)\s+(.+?)\s+(\[[^\]]+\] .+?\.vmx)(?:\s|$)/.exec(line);
    // Annotation lines that continue a row start without a Vmid.
    if (m) vms.push({ id: m[1]!, name: m[2]!, vmx: m[3]! });
  }
  return vms;
}

export type VmPowerState = 'on' | 'off' | 'suspended';

/** `vim-cmd vmsvc/power.getstate <vmid>`: `Retrieved runtime info`, then `Powered on|off` or `Suspended`. */
export function parsePowerState(stdout: string): VmPowerState {
  const m = /^(Powered on|Powered off|Suspended)\s*$/m.exec(stdout);
  if (!m) throw unexpected('vim-cmd vmsvc/power.getstate', stdout);
  return m[1] === 'Powered on' ? 'on' : m[1] === 'Powered off' ? 'off' : 'suspended';
}

/**
 * `esxcli system ssh server config list` (ESXi 8): a `Key Value` header, a dashes line, then one
 * `keyword value` row per setting (the value may be empty).
 */
export function parseSshConfigList(stdout: string): Record<string, string> {
  const lines = stdout.split('\n');
  if (!/^\s*Key\s+Value\s*$/.test(lines[0] ?? '') || !/^\s*-+\s+-+\s*$/.test(lines[1] ?? '')) {
    throw unexpected('esxcli system ssh server config list', stdout);
  }
  const out: Record<string, string> = {};
  for (const line of lines.slice(2)) {
    const m = /^\s*(\S+)(?:\s+(.*?))?\s*$/.exec(line);
    if (m) out[m[1]!.toLowerCase()] = m[2] ?? '';
  }
  return out;
}

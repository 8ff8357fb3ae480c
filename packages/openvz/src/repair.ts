/**
 * Repairs for what makes `vzctl create` or `vzctl start` fail on a fresh node: quota limits
 * (DISKSPACE/DISKINODES in vz.conf) and UB parameters (CT config). docs/platforms/openvz.md,
 * "Quota at create" and "UB parameters at start".
 */
import { cmd, sh, CommandError, ModuleError, type Host } from '@shipshape/core';
import { z } from 'zod';
import { parseVzConf, setConfKeys } from './internal/conf.js';
import { normalizeUbc } from './internal/units.js';
import { missingUbParams, quotaNotSet, VZ } from './internal/vzerror.js';

export const VZ_CONF = '/etc/vz/vz.conf';

/**
 * UB limit sets a repair writes for the parameters vzctl names as missing:
 * `operators` (generous: the values the node operators set by hand) and `ve-basic` (vzctl's
 * tight upstream sample). LOCKEDPAGES, PHYSPAGES and DCACHESIZE are not in the operators' list
 * and come from ve-basic in both.
 */
export const UBC_PRESETS = {
  operators: {
    kmemsize: '465M:512M', lockedpages: '256:256', privvmpages: 'unlimited', shmpages: 'unlimited', numproc: 'unlimited',
    physpages: '0:unlimited', vmguarpages: '0:unlimited', oomguarpages: '0:unlimited', numtcpsock: 'unlimited', numflock: 'unlimited',
    numpty: 'unlimited', numsiginfo: 'unlimited', tcpsndbuf: 'unlimited', tcprcvbuf: 'unlimited', othersockbuf: 'unlimited',
    dgramrcvbuf: 'unlimited', numothersock: 'unlimited', numfile: 'unlimited', dcachesize: '3409920:3624960', numiptent: 'unlimited',
    avnumproc: '180:180', swappages: '0:512M',
  },
  've-basic': {
    kmemsize: '14372700:14790164', lockedpages: '256:256', privvmpages: '65536:69632', shmpages: '21504:21504',
    numproc: '240:240', physpages: '0:unlimited', vmguarpages: '33792:unlimited', oomguarpages: '26112:unlimited',
    numtcpsock: '360:360', numflock: '188:206', numpty: '16:16', numsiginfo: '256:256', tcpsndbuf: '1720320:2703360',
    tcprcvbuf: '1720320:2703360', othersockbuf: '1126080:2097152', dgramrcvbuf: '262144:262144', numothersock: '120:120',
    numfile: '9312:9312', dcachesize: '3409920:3624960', numiptent: '128:128', avnumproc: '180:180', swappages: '0:512M',
  },
} as const satisfies Record<string, Readonly<Record<string, string>>>;
export type UbcPreset = keyof typeof UBC_PRESETS;

const sizeValue = z.union([z.string().min(1), z.number().nonnegative()]);

/** The repair values of a module's arguments (shared by container() and templateRebuild()). */
export const repairFields = {
  /** Written to vz.conf when vzctl reports DISKSPACE missing. @default '2G:2.2G' (vzctl's ve-vswap-256m sample) */
  diskspace: sizeValue.default('2G:2.2G').describe('Written to vz.conf when vzctl reports DISKSPACE missing.'),
  /** Written to vz.conf when vzctl reports DISKINODES missing. @default '131072:144179' */
  diskinodes: sizeValue.default('131072:144179').describe('Written to vz.conf when vzctl reports DISKINODES missing.'),
  /** Which UB limits a repair sets: the operators' generous ones or vzctl's ve-basic sample. @default 'operators' */
  ubcPreset: z.enum(Object.keys(UBC_PRESETS) as [UbcPreset, ...UbcPreset[]]).default('operators').describe('Which UB limits a repair sets: the operators\' generous ones or vzctl\'s ve-basic sample.'),
  /** UB limits that override the preset in a repair, e.g. `{ numproc: '400:400' }`. */
  ubc: z.record(sizeValue).default({}).describe('UB limits that override the preset in a repair, e.g. `{ numproc: \'400:400\' }`.'),
};
export const repairSchema = z.object(repairFields).strict();
export type RepairArgs = z.output<typeof repairSchema>;

export interface RepairValues {
  readonly diskspace: string | number;
  readonly diskinodes: string | number;
  /** Lower-case UB names → values. */
  readonly ubc: Readonly<Record<string, string | number>>;
}

/** Preset merged with the overrides. */
export function repairValues(a: RepairArgs): RepairValues {
  return { diskspace: a.diskspace, diskinodes: a.diskinodes, ubc: { ...UBC_PRESETS[a.ubcPreset], ...a.ubc } };
}

/** Add missing DISKSPACE/DISKINODES to vz.conf (atomic write); returns what was added, or null. */
export async function repairVzConfQuota(h: Host, v: RepairValues): Promise<string | null> {
  const file = await h.readFile(VZ_CONF);
  if (!file.exists || !file.content) throw new ModuleError(`${VZ_CONF} does not exist`);
  const text = file.content.toString('utf8');
  const conf = parseVzConf(text);
  const add: Record<string, string> = {};
  if (!conf.DISKSPACE) add.DISKSPACE = String(v.diskspace);
  if (!conf.DISKINODES) add.DISKINODES = String(v.diskinodes);
  if (Object.keys(add).length === 0) return null;
  await h.writeFile(VZ_CONF, setConfKeys(text, add));
  return `added ${Object.entries(add).map(([k, x]) => `${k}="${x}"`).join(' ')} to ${VZ_CONF}`;
}

/** Set the UB parameters vzctl named as missing on CT `ctid` (saved to its config). */
export async function repairUbc(h: Host, ctid: number, missing: readonly string[], v: RepairValues): Promise<string> {
  const argv: string[] = [];
  const said: string[] = [];
  for (const name of missing) {
    const raw = v.ubc[name] ?? v.ubc[name.toUpperCase()];
    if (raw === undefined) throw new ModuleError(`CT ${ctid}: vzctl needs UB parameter ${name} and no value is known for it (give ubc.${name})`);
    const value = normalizeUbc(name, raw);
    argv.push(`--${name}`, value);
    said.push(`${name}=${value}`);
  }
  await h.run(cmd('vzctl', 'set', String(ctid), ...argv, '--save'));
  return `set missing UB parameters in /etc/vz/conf/${ctid}.conf: ${said.join(' ')}`;
}

const lastLine = (s: string): string => s.trim().split('\n').pop() ?? '';

/**
 * `vzctl start`, repairing what vzctl reports missing (exit 63/64: quota limits in vz.conf;
 * exit 28: UB parameters in the CT config), then starting again. Each repair is reported.
 */
export async function startWithRepairs(h: Host, ctid: number, v: RepairValues, repairs: string[]): Promise<void> {
  const tried = new Set<number>();
  for (;;) {
    const r = await h.run(cmd('vzctl', 'start', String(ctid)), { allowFail: true });
    if (r.code === 0) return;
    const fail = () => new CommandError(h.name, `vzctl start ${ctid}`, r.code, r.stdout, r.stderr);
    if (tried.has(r.code)) throw fail(); // the same error after its repair: do not loop
    tried.add(r.code);
    const output = `${r.stdout}\n${r.stderr}`;
    if (r.code === VZ.DISKSPACE_NOT_SET || r.code === VZ.DISKINODES_NOT_SET) {
      const done = await repairVzConfQuota(h, v);
      if (!done) throw fail();
      repairs.push(`${done} (vzctl start: ${lastLine(r.stderr)})`);
      h.log(`CT ${ctid}: ${done}`);
    } else if (r.code === VZ.NOT_ENOUGH_UBC_PARAMS) {
      const missing = missingUbParams(output);
      if (missing.length === 0) throw fail();
      const done = await repairUbc(h, ctid, missing, v);
      repairs.push(`${done} (vzctl start: "Error: required UB parameter ${missing[0]} not set"${missing.length > 1 ? ` and ${missing.length - 1} more` : ''})`);
      h.log(`CT ${ctid}: ${done}`);
    } else {
      throw fail();
    }
  }
}

/** What a failed create left of CT `ctid`: its config file and private area (paths from vz.conf / the CT config). */
async function leftovers(h: Host, ctid: number): Promise<{ conf?: string; priv: string[] }> {
  const confPath = `/etc/vz/conf/${ctid}.conf`;
  const [global, own] = await Promise.all([h.readFile(VZ_CONF), h.readFile(confPath)]);
  const g = parseVzConf(global.content?.toString('utf8') ?? '');
  const c = own.exists ? parseVzConf(own.content?.toString('utf8') ?? '') : {};
  const priv = (c.VE_PRIVATE ?? g.VE_PRIVATE ?? '').replace(/\$\{?(VEID|CTID)\}?/g, String(ctid));
  const r = await h.run(sh`for d in ${priv || '/nonexistent'} ${`${priv}.tmp`}; do if [ -d "$d" ] && [ ! -L "$d" ]; then echo "$d"; fi; done`);
  return { conf: own.exists ? confPath : undefined, priv: priv.startsWith('/') ? r.stdout.split('\n').filter((l) => l !== '') : [] };
}

/**
 * `vzctl create`, repairing vz.conf once when it fails initialising the quota (a dist with
 * POST_CREATE mounts the new CT, so missing DISKSPACE/DISKINODES fail create, exit 63/64).
 * Whatever the failed create left (real vzctl removes its private area; older builds may not)
 * is removed before the one retry, and the report says which was met. A config that existed
 * before (`hadConfig`) is kept.
 */
export async function createWithRepairs(
  h: Host, ctid: number, argv: readonly string[], v: RepairValues, repairs: string[], hadConfig = false,
): Promise<void> {
  const create = cmd('vzctl', 'create', String(ctid), ...argv);
  const first = await h.run(create, { allowFail: true });
  if (first.code === 0) return;
  const fail = (r: typeof first) => new CommandError(h.name, create.display, r.code, r.stdout, r.stderr);
  const why = quotaNotSet(first.stderr);
  if ((first.code !== VZ.DISKSPACE_NOT_SET && first.code !== VZ.DISKINODES_NOT_SET) || !why) throw fail(first);
  const done = await repairVzConfQuota(h, v);
  if (!done) throw fail(first);
  const left = await leftovers(h, ctid);
  if (left.priv.length > 0) await h.run(sh`rm -rf -- ${left.priv}`);
  const conf = hadConfig ? undefined : left.conf;
  if (conf) await h.run(sh`rm -f -- ${conf}`);
  const removed = [...left.priv.map((p) => `private area ${p}`), ...(conf ? [`config ${conf}`] : [])];
  const cleaned = removed.length > 0 ? `removed what it left: ${removed.join(', ')}` : 'vzctl had removed the half-made CT itself';
  const report = `${done} (vzctl create ${ctid}: "${why}", exit ${first.code}; ${cleaned}; created again)`;
  h.log(`CT ${ctid}: ${report}`);
  const again = await h.run(create, { allowFail: true });
  if (again.code !== 0) throw fail(again);
  repairs.push(report);
}

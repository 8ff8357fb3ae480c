/** Repairs for what makes `vzctl start` fail on a fresh node: quota limits and UB parameters. */
import { cmd, CommandError, ModuleError, type Host } from '@shipshape/core';
import { parseVzConf, setConfKeys } from './internal/conf.js';
import { normalizeUbc } from './internal/units.js';
import { missingUbParams, VZ } from './internal/vzerror.js';

export const VZ_CONF = '/etc/vz/vz.conf';

export interface RepairValues {
  readonly diskspace: string | number;
  readonly diskinodes: string | number;
  /** Lower-case UB names → values; merged over the defaults by the caller. */
  readonly ubc: Readonly<Record<string, string | number>>;
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
      repairs.push(`${done} (vzctl start: ${r.stderr.trim().split('\n').pop()})`);
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

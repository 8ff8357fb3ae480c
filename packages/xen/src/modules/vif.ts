import { changes, defineModule, ModuleError, noChange, z, type FileState, type Plan } from '@shipshape/core';
import { parseXenCfg, renderVif, replaceVifs } from '../facts/cfg.js';
import { guestMac, sameMac } from '../mac.js';

export const vifSchema = z
  .object({
    /** Guest name: the cfg is `<cfgDir>/<guest>.cfg`. */
    guest: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9.-]*$/, 'expected a guest name').describe('Guest name: the cfg is `<cfgDir>/<guest>.cfg`.'),
    /** IPv4 address of the vif (`ip=` in the vif spec); the vif is found by it. */
    ip: z.string().regex(/^\d{1,3}(\.\d{1,3}){3}$/, 'expected an IPv4 address').describe('IPv4 address of the vif (`ip=` in the vif spec); the vif is found by it.'),
    /** MAC address; by default one derived from guest and ip in the Xen range (00:16:3e:xx:xx:xx). @default derived from guest and ip (00:16:3e:xx:xx:xx) */
    mac: z.string().regex(/^00:16:3[eE](:[0-9A-Fa-f]{2}){3}$/, 'expected a MAC in the Xen range 00:16:3e:xx:xx:xx').optional().describe('MAC address; by default one derived from guest and ip in the Xen range (00:16:3e:xx:xx:xx).'),
    /** Bridge the vif joins (`bridge=`). */
    bridge: z.string().regex(/^[A-Za-z0-9_.-]+$/).optional().describe('Bridge the vif joins (`bridge=`).'),
    /** present: a vif with this ip is in the cfg; absent: none is. @default 'present' */
    state: z.enum(['present', 'absent']).default('present').describe('present: a vif with this ip is in the cfg; absent: none is.'),
    /** Directory of guest cfgs. @default '/etc/xen' */
    cfgDir: z.string().regex(/^\/[A-Za-z0-9_./-]*$/).default('/etc/xen').describe('Directory of guest cfgs.'),
  })
  .strict();

export type VifArgs = z.output<typeof vifSchema>;

/** Pure plan: add, update or remove the vif carrying `ip` in the guest cfg. */
export function planVif(a: VifArgs, f: FileState): Plan {
  const path = `${a.cfgDir}/${a.guest}.cfg`;
  if (!f.exists || !f.content) {
    // Check mode before the guest exists: report the edit; a real run gets here only if the guest was never created.
    const fail = async () => { throw new ModuleError(`${path} does not exist: create guest ${a.guest} first`); };
    return changes(`${path}: ${a.state === 'absent' ? 'nothing to remove' : `add vif ${a.ip}`} once guest ${a.guest} exists (no cfg yet)`, [
      { kind: 'call', describe: `edit ${path}`, run: fail },
    ]);
  }
  const before = f.content.toString('utf8');
  const cfg = parseXenCfg(before, path);
  const raws = cfg.vifs.map((v) => v.raw);
  const idx = cfg.vifs.findIndex((v) => v.ips.includes(a.ip));
  const found = idx >= 0 ? cfg.vifs[idx]! : undefined;
  if (found && found.ips.length > 1) {
    throw new ModuleError(`${path}: ${a.ip} shares a vif with ${found.ips.filter((i) => i !== a.ip).join(' ')}; refusing to edit that interface`);
  }
  let after: string;
  let msg: string;
  if (a.state === 'absent') {
    if (!found) return noChange(`${path}: no vif with ${a.ip}`);
    after = replaceVifs(before, raws.filter((_, i) => i !== idx), path);
    msg = `${path}: removed vif ${found.raw}`;
  } else {
    const mac = a.mac ?? guestMac(a.guest, a.ip);
    if (found && sameMac(found.mac, mac) && (a.bridge === undefined || found.bridge === a.bridge)) return noChange(`${path}: vif ${a.ip} present`);
    const entry = renderVif({ ips: [a.ip], mac, bridge: a.bridge ?? found?.bridge });
    after = replaceVifs(before, found ? raws.map((r, i) => (i === idx ? entry : r)) : [...raws, entry], path);
    msg = `${path}: ${found ? 'updated' : 'added'} vif ${entry}${cfg.name ? ' (takes effect at the next guest start)' : ''}`;
  }
  return changes(msg, [{ kind: 'write', path, content: after }], { diff: [{ path, before, after }] });
}

/**
 * A network interface (ip, mac, bridge) in a guest's `/etc/xen/<guest>.cfg`, idempotently.
 * The MAC defaults to one derived from guest and IP, so reruns never churn.
 * @example vif({ guest: 'web01', ip: '203.0.113.7', bridge: 'xenbr1' })
 */
export const vif = defineModule({
  name: 'xen.vif',
  description: 'Add or remove a vif (ip, mac, bridge) in a Xen guest cfg',
  schema: vifSchema,
  gather: (h, a) => h.readFile(`${a.cfgDir}/${a.guest}.cfg`),
  plan: planVif,
});

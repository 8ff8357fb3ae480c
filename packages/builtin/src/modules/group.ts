import { cmd, changes, defineModule, noChange, ModuleError, type Change, type Plan } from '@shipshape/core';
import { z } from 'zod';
import { colonFileChange, editColonFile, freeId, gatherAccounts, groupBackend, parseGroup, parsePasswd, type AccountFacts, type LineEdit } from '../internal/accounts.js';
import { boolSchema } from '../internal/schemas.js';

export const groupSchema = z
  .object({
    /** Group name. */
    name: z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]*\$?$/, 'group names are letters, digits, _ . - (and a final $)').describe('Group name.'),
    /** present: the group exists; absent: it is removed. @default 'present' */
    state: z.enum(['present', 'absent']).default('present').describe('present: the group exists; absent: it is removed.'),
    /** Numeric group id. */
    gid: z.number().int().nonnegative().optional().describe('Numeric group id.'),
    /** Create a system group (a gid in the system range). @default false */
    system: boolSchema.default(false).describe('Create a system group (a gid in the system range).'),
  })
  .strict();

export type GroupArgs = z.output<typeof groupSchema>;

/** Pure plan for the group module. */
export function planGroup(a: GroupArgs, f: AccountFacts): Plan {
  const backend = groupBackend(f.tools);
  const groups = parseGroup(f.group);
  const me = groups.find((g) => g.name === a.name);
  const result = { name: a.name, state: a.state, ...(me ? { gid: me.gid } : a.gid !== undefined ? { gid: a.gid } : {}) };
  const fileChange = (edits: Map<string, LineEdit>) => ({
    list: [colonFileChange('/etc/group', edits)] as Change[],
    diff: [{ path: '/etc/group', before: f.group, after: editColonFile(f.group, edits) }],
  });
  if (a.state === 'absent') {
    if (!me) return noChange(`group ${a.name} is absent`, result);
    const primaryOf = parsePasswd(f.passwd).find((u) => u.gid === me.gid);
    if (primaryOf) throw new ModuleError(`cannot remove group ${a.name}: it is the primary group of user ${primaryOf.name}`);
    if (backend === 'shadow') return changes(`group ${a.name} removed`, [{ kind: 'exec', command: cmd('groupdel', a.name) }], { result });
    if (backend === 'busybox') return changes(`group ${a.name} removed`, [{ kind: 'exec', command: cmd('delgroup', a.name) }], { result });
    const { list, diff } = fileChange(new Map([[a.name, () => undefined]]));
    return changes(`group ${a.name} removed`, list, { diff, result });
  }
  if (me) {
    if (a.gid === undefined || a.gid === me.gid) return noChange(`group ${a.name} exists`, result);
    if (groups.some((g) => g.gid === a.gid)) throw new ModuleError(`gid ${a.gid} is already used by another group`);
    if (backend === 'shadow') return changes(`group ${a.name}: gid changed`, [{ kind: 'exec', command: cmd('groupmod', '-g', String(a.gid), a.name) }], { result });
    const { list, diff } = fileChange(new Map([[a.name, (x) => (x ? [x[0]!, x[1] ?? 'x', String(a.gid), x[3] ?? ''] : undefined)]]));
    return changes(`group ${a.name}: gid changed`, list, { diff, result });
  }
  if (a.gid !== undefined && groups.some((g) => g.gid === a.gid)) throw new ModuleError(`gid ${a.gid} is already used by another group`);
  if (backend === 'shadow') {
    const argv = ['groupadd', ...(a.gid !== undefined ? ['-g', String(a.gid)] : []), ...(a.system ? ['-r'] : []), a.name];
    return changes(`group ${a.name} created`, [{ kind: 'exec', command: cmd(...argv) }], { result });
  }
  if (backend === 'busybox') {
    const argv = ['addgroup', ...(a.gid !== undefined ? ['-g', String(a.gid)] : []), ...(a.system ? ['-S'] : []), a.name];
    return changes(`group ${a.name} created`, [{ kind: 'exec', command: cmd(...argv) }], { result });
  }
  const gid = a.gid ?? freeId(groups.map((g) => g.gid), a.system ? 100 : 1000, a.system ? 1000 : 60000, a.system);
  const { list, diff } = fileChange(new Map([[a.name, () => [a.name, 'x', String(gid), '']]]));
  return changes(`group ${a.name} created`, list, { diff, result: { ...result, gid } });
}

/**
 * Manage a local group: groupadd/groupmod/groupdel, busybox addgroup/delgroup, or a direct atomic
 * edit of /etc/group on hosts with neither.
 * @example
 * group({ name: 'backup', gid: 1500 })
 */
export const group = defineModule({
  name: 'group',
  description: 'Manage groups',
  schema: groupSchema,
  gather: (host) => gatherAccounts(host, false),
  plan: planGroup,
});

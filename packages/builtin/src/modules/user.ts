import { cmd, changes, defineModule, pathArg, noChange, ModuleError, type Change, type FileDiff, type Plan } from '@shipshape/core';
import { z } from 'zod';
import {
  colonFileChange, editColonFile, freeId, gatherAccounts, homeChanges, memberEdit, parseGroup, parsePasswd, shadowHash, userBackend,
  type AccountFacts, type LineEdit,
} from '../internal/accounts.js';
import { withAliases } from '../edit/file-module.js';
import { boolSchema } from '../internal/schemas.js';

const listSchema = z.union([z.array(z.string()), z.string()]).transform((v) => (Array.isArray(v) ? v : v.split(',')).map((s) => s.trim()).filter(Boolean));

export const userSchema = withAliases(z
  .object({
    /** User name. */
    name: z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]*\$?$/, 'user names are letters, digits, _ . - (and a final $)').describe('User name.'),
    /** present: the account exists as given; absent: it is removed. @default 'present' */
    state: z.enum(['present', 'absent']).default('present').describe('present: the account exists as given; absent: it is removed.'),
    /** Numeric user id. */
    uid: z.number().int().nonnegative().optional().describe('Numeric user id.'),
    /** Primary group (must exist). */
    group: z.string().min(1).optional().describe('Primary group (must exist).'),
    /** Supplementary groups (list or comma string); with append false, exactly these. */
    groups: listSchema.optional().describe('Supplementary groups (list or comma string); with append false, exactly these.'),
    /** Add to `groups` without removing others. */
    append: boolSchema.default(false).describe('Add to `groups` without removing others.'),
    /** Home directory. */
    home: z.string().min(1).optional().describe('Home directory.'),
    /** Login shell. */
    shell: z.string().min(1).optional().describe('Login shell.'),
    /** GECOS field (full name). */
    comment: z.string().regex(/^[^:\n]*$/, 'comment cannot contain ":" or newlines').optional().describe('GECOS field (full name).'),
    /** Crypted password hash, as in /etc/shadow. */
    password: z.string().regex(/^[^:\n]*$/).optional().describe('Crypted password hash, as in /etc/shadow.'),
    /** 'on_create': set password only for new users. */
    update_password: z.enum(['always', 'on_create']).default('always').describe('\'on_create\': set password only for new users.'),
    /** Create a system account (a uid in the system range). @default false */
    system: boolSchema.default(false).describe('Create a system account (a uid in the system range).'),
    /** Create the home directory for a new user. @default true */
    create_home: boolSchema.default(true).describe('Create the home directory for a new user.'),
    /** With state absent: also remove the home directory. */
    remove: boolSchema.default(false).describe('With state absent: also remove the home directory.'),
    /** Move the home directory's content when home changes. */
    move_home: boolSchema.default(false).describe('Move the home directory\'s content when home changes.'),
  })
  .strict(), { createhome: 'create_home' });

export type UserArgs = z.output<typeof userSchema>;

type Delta = { uid?: number; gid?: number; group?: string; home?: string; shell?: string; comment?: string; password?: string; add: string[]; del: string[] };

function passwdEdit(d: Delta): LineEdit {
  return (f) => {
    if (!f) return undefined;
    const g = [...f];
    if (d.uid !== undefined) g[2] = String(d.uid);
    if (d.gid !== undefined) g[3] = String(d.gid);
    if (d.comment !== undefined) g[4] = d.comment;
    if (d.home !== undefined) g[5] = d.home;
    if (d.shell !== undefined) g[6] = d.shell;
    return g;
  };
}

function fileEdits(a: UserArgs, d: Delta, f: AccountFacts): { changes: Change[]; diff: FileDiff[] } {
  const out: Change[] = [];
  const diff: FileDiff[] = [];
  const push = (path: string, text: string, edits: Map<string, LineEdit>) => {
    if (!edits.size) return;
    const after = editColonFile(text, edits);
    if (after === text) return;
    out.push(colonFileChange(path, edits));
    diff.push({ path, before: text, after });
  };
  if (d.uid !== undefined || d.gid !== undefined || d.comment !== undefined || d.home !== undefined || d.shell !== undefined) {
    push('/etc/passwd', f.passwd, new Map([[a.name, passwdEdit(d)]]));
  }
  push('/etc/group', f.group, new Map([...d.add.map((g) => [g, memberEdit(a.name, true)] as const), ...d.del.map((g) => [g, memberEdit(a.name, false)] as const)]));
  if (d.password !== undefined && f.shadow !== undefined) {
    push('/etc/shadow', f.shadow, new Map([[a.name, (x: string[] | undefined) => (x ? [x[0]!, d.password!, ...x.slice(2)] : undefined)]]));
  }
  return { changes: out, diff };
}

function createUser(a: UserArgs, f: AccountFacts, backend: string): { list: Change[]; diff: FileDiff[] } {
  const users = parsePasswd(f.passwd);
  const groups = parseGroup(f.group);
  const supp = a.groups ?? [];
  if (backend === 'shadow') {
    const argv = ['useradd'];
    if (a.uid !== undefined) argv.push('-u', String(a.uid));
    if (a.group) argv.push('-g', a.group);
    if (supp.length) argv.push('-G', supp.join(','));
    if (a.home) argv.push('-d', a.home);
    if (a.shell) argv.push('-s', a.shell);
    if (a.comment !== undefined) argv.push('-c', a.comment);
    if (a.password !== undefined) argv.push('-p', a.password);
    if (a.system) argv.push('-r');
    argv.push(a.create_home ? '-m' : '-M', a.name);
    return { list: [{ kind: 'exec', command: cmd(...argv) }], diff: [] };
  }
  if (backend === 'busybox') {
    const argv = ['adduser', '-D'];
    if (a.uid !== undefined) argv.push('-u', String(a.uid));
    if (a.group) argv.push('-G', a.group);
    if (a.home) argv.push('-h', a.home);
    if (a.shell) argv.push('-s', a.shell);
    if (a.comment !== undefined) argv.push('-g', a.comment);
    if (a.system) argv.push('-S');
    if (!a.create_home) argv.push('-H');
    argv.push(a.name);
    const list: Change[] = [{ kind: 'exec', command: cmd(...argv) }, ...supp.map((g): Change => ({ kind: 'exec', command: cmd('addgroup', a.name, g) }))];
    if (a.password !== undefined) list.push(colonFileChange('/etc/shadow', new Map([[a.name, (x) => (x ? [x[0]!, a.password!, ...x.slice(2)] : undefined)]])));
    return { list, diff: [] };
  }
  // files: no tool at all; write the lines useradd would
  const uid = a.uid ?? freeId(users.map((u) => u.uid), a.system ? 100 : 1000, a.system ? 1000 : 60000, a.system);
  let gid: number;
  const groupEdits = new Map<string, LineEdit>();
  if (a.group) gid = groups.find((g) => g.name === a.group)!.gid;
  else {
    const own = groups.find((g) => g.name === a.name);
    gid = own ? own.gid : groups.some((g) => g.gid === uid) ? freeId(groups.map((g) => g.gid), uid, 60000) : uid;
    if (!own) groupEdits.set(a.name, () => [a.name, 'x', String(gid), '']);
  }
  for (const g of supp) groupEdits.set(g, memberEdit(a.name, true));
  const home = a.home ?? (a.system ? '/' : `/home/${a.name}`);
  const shell = a.shell ?? '/bin/sh';
  const list: Change[] = [];
  const diff: FileDiff[] = [];
  const add = (path: string, text: string, edits: Map<string, LineEdit>) => {
    list.push(colonFileChange(path, edits));
    diff.push({ path, before: text, after: editColonFile(text, edits) });
  };
  if (groupEdits.size) add('/etc/group', f.group, groupEdits);
  add('/etc/passwd', f.passwd, new Map([[a.name, () => [a.name, 'x', String(uid), String(gid), a.comment ?? '', home, shell]]]));
  if (f.shadow !== undefined) {
    const days = String(f.today ?? 0);
    add('/etc/shadow', f.shadow, new Map([[a.name, () => [a.name, a.password ?? '!', days, '0', '99999', '7', '', '', '']]]));
  }
  if (a.create_home && !a.system) list.push(...homeChanges(home, String(uid), String(gid)));
  return { list, diff };
}

/** Pure plan for the user module. */
export function planUser(a: UserArgs, f: AccountFacts): Plan {
  const backend = userBackend(f.tools);
  const users = parsePasswd(f.passwd);
  const groups = parseGroup(f.group);
  const me = users.find((u) => u.name === a.name);
  const result = { name: a.name, state: a.state };
  if (a.state === 'absent') {
    if (!me) return noChange(`user ${a.name} is absent`, result);
    let list: Change[];
    if (backend === 'shadow') list = [{ kind: 'exec', command: a.remove ? cmd('userdel', '-r', a.name) : cmd('userdel', a.name) }];
    else if (backend === 'busybox') list = [{ kind: 'exec', command: a.remove ? cmd('deluser', '--remove-home', a.name) : cmd('deluser', a.name) }];
    else {
      const drop = () => undefined;
      const gEdits = new Map<string, LineEdit>(groups.filter((g) => g.members.includes(a.name)).map((g) => [g.name, memberEdit(a.name, false)]));
      const own = groups.find((g) => g.name === a.name && g.gid === me.gid && g.members.every((m) => m === a.name));
      if (own) gEdits.set(a.name, drop);
      list = [colonFileChange('/etc/passwd', new Map([[a.name, drop]]))];
      if (gEdits.size) list.push(colonFileChange('/etc/group', gEdits));
      if (f.shadow !== undefined) list.push(colonFileChange('/etc/shadow', new Map([[a.name, drop]])));
      if (a.remove && me.home && me.home !== '/') list.push({ kind: 'exec', command: cmd('rm', '-rf', pathArg(me.home)) });
    }
    return changes(`user ${a.name} removed`, list, { result });
  }
  for (const g of [...(a.group ? [a.group] : []), ...(a.groups ?? [])]) {
    if (!groups.some((x) => x.name === g)) throw new ModuleError(`Group ${g} does not exist`);
  }
  if (!me) {
    const { list, diff } = createUser(a, f, backend);
    return changes(`user ${a.name} created`, list, { diff, result });
  }
  const d: Delta = { add: [], del: [] };
  if (a.uid !== undefined && a.uid !== me.uid) d.uid = a.uid;
  if (a.group) {
    const gid = groups.find((g) => g.name === a.group)!.gid;
    if (gid !== me.gid) Object.assign(d, { gid, group: a.group });
  }
  if (a.home !== undefined && a.home !== me.home) d.home = a.home;
  if (a.shell !== undefined && a.shell !== me.shell) d.shell = a.shell;
  if (a.comment !== undefined && a.comment !== me.comment) d.comment = a.comment;
  if (a.password !== undefined && a.update_password === 'always' && shadowHash(f.shadow, a.name) !== a.password) d.password = a.password;
  if (a.groups !== undefined) {
    const current = groups.filter((g) => g.members.includes(a.name) && g.gid !== me.gid).map((g) => g.name);
    d.add = a.groups.filter((g) => !current.includes(g) && groups.find((x) => x.name === g)!.gid !== (d.gid ?? me.gid));
    if (!a.append) d.del = current.filter((g) => !a.groups!.includes(g));
  }
  const what = Object.keys(d).filter((k) => k !== 'add' && k !== 'del' && k !== 'group');
  if (d.add.length || d.del.length) what.push('groups');
  if (!what.length) return noChange(`user ${a.name} is as wanted`, result);
  if (backend === 'shadow') {
    const argv = ['usermod'];
    if (d.uid !== undefined) argv.push('-u', String(d.uid));
    if (d.group !== undefined) argv.push('-g', d.group);
    if (d.add.length || d.del.length) argv.push(...(a.append ? ['-a', '-G', d.add.join(',')] : ['-G', a.groups!.join(',')]));
    if (d.home !== undefined) argv.push('-d', d.home, ...(a.move_home ? ['-m'] : []));
    if (d.shell !== undefined) argv.push('-s', d.shell);
    if (d.comment !== undefined) argv.push('-c', d.comment);
    if (d.password !== undefined) argv.push('-p', d.password);
    argv.push(a.name);
    return changes(`user ${a.name}: ${what.join(', ')} changed`, [{ kind: 'exec', command: cmd(...argv) }], { result });
  }
  const edits = fileEdits(a, d, f);
  if (d.home !== undefined && a.move_home && me.home) edits.changes.push({ kind: 'exec', command: cmd('mv', pathArg(me.home), pathArg(d.home)) });
  return changes(`user ${a.name}: ${what.join(', ')} changed`, edits.changes, { diff: edits.diff, result });
}

/**
 * Manage a local user: useradd/usermod/userdel where they exist, busybox adduser/deluser where
 * those are what exists, and direct atomic edits of /etc/passwd, /etc/group and /etc/shadow on
 * hosts with neither. State comes from /etc/passwd and /etc/group in one round trip.
 * @example
 * user({ name: 'backup', groups: ['adm'], append: true, shell: '/bin/sh', home: '/var/backups' })
 */
export const user = defineModule({
  name: 'user',
  description: 'Manage user accounts',
  schema: userSchema,
  gather: (host) => gatherAccounts(host, true),
  plan: planUser,
});

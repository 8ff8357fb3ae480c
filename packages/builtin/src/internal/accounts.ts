/**
 * /etc/passwd, /etc/group and /etc/shadow as data, for the user and group modules: parsing, the
 * tool probe (shadow-utils, busybox applets, or neither), and pure line edits used where no tool
 * exists (a bare busybox host has neither useradd nor adduser).
 */
import { ModuleError, pathArg, script, sh, whichFact, type Change, type Command, type Host } from '@shipshape/core';
import { parseSections, sectionsCommand } from './sections.js';

export interface PasswdEntry {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
  readonly comment: string;
  readonly home: string;
  readonly shell: string;
}

export interface GroupEntry {
  readonly name: string;
  readonly gid: number;
  readonly members: readonly string[];
}

/** What the user/group modules gather: the files' text and which tools exist. */
export interface AccountFacts {
  readonly tools: readonly string[];
  readonly passwd: string;
  readonly group: string;
  /** undefined when the host has no /etc/shadow */
  readonly shadow?: string;
  /** Days since the epoch (shadow's last-change field for new users). */
  readonly today?: number;
}

export type AccountBackend = 'shadow' | 'busybox' | 'files';

const TOOLS = ['useradd', 'usermod', 'userdel', 'groupadd', 'groupmod', 'groupdel', 'adduser', 'deluser', 'addgroup', 'delgroup'];

/** One round trip for the files (the tool probe is the cached `which` fact). */
export function accountsCommand(withShadow: boolean): Command {
  return sectionsCommand({
    passwd: script('cat /etc/passwd'),
    group: script('cat /etc/group'),
    ...(withShadow ? { shadow: script('[ -f /etc/shadow ] && cat /etc/shadow || true') } : {}),
    ...(withShadow ? { hasshadow: script('[ -f /etc/shadow ] && echo yes || echo no') } : {}),
  });
}

export async function gatherAccounts(host: Host, withShadow: boolean): Promise<AccountFacts> {
  const [found, r] = await Promise.all([host.fact(whichFact, TOOLS), host.run(accountsCommand(withShadow))]);
  const s = parseSections(r.stdout);
  return {
    tools: TOOLS.filter((t) => found[t]),
    passwd: s.passwd ?? '',
    group: s.group ?? '',
    today: Math.floor(Date.now() / 86_400_000),
    ...(withShadow && s.hasshadow?.trim() === 'yes' ? { shadow: s.shadow ?? '' } : {}),
  };
}

export function userBackend(tools: readonly string[]): AccountBackend {
  if (tools.includes('useradd')) return 'shadow';
  if (tools.includes('adduser')) return 'busybox';
  return 'files';
}

export function groupBackend(tools: readonly string[]): AccountBackend {
  if (tools.includes('groupadd')) return 'shadow';
  if (tools.includes('addgroup')) return 'busybox';
  return 'files';
}

const lines = (text: string) => text.split('\n').filter((l) => l && !l.startsWith('#'));

export function parsePasswd(text: string): PasswdEntry[] {
  return lines(text).map((l) => {
    const f = l.split(':');
    return { name: f[0]!, uid: Number(f[2]), gid: Number(f[3]), comment: f[4] ?? '', home: f[5] ?? '', shell: f[6] ?? '' };
  });
}

export function parseGroup(text: string): GroupEntry[] {
  return lines(text).map((l) => {
    const f = l.split(':');
    return { name: f[0]!, gid: Number(f[2]), members: (f[3] ?? '').split(',').filter(Boolean) };
  });
}

/** The shadow hash of a user, if any. */
export function shadowHash(text: string | undefined, name: string): string | undefined {
  const l = lines(text ?? '').find((x) => x.split(':')[0] === name);
  return l?.split(':')[1];
}

/** Lowest free id in [lo, hi) counting up, or (system ids) highest free counting down. */
export function freeId(used: Iterable<number>, lo: number, hi: number, down = false): number {
  const set = new Set(used);
  if (down) {
    for (let i = hi - 1; i >= lo; i--) if (!set.has(i)) return i;
  } else {
    const max = Math.max(lo - 1, ...[...set].filter((i) => i >= lo && i < hi));
    if (max + 1 < hi) return max + 1;
  }
  throw new ModuleError(`no free id in ${lo}..${hi}`);
}

/** A pure edit of one line-oriented file, keyed by the first ':' field. */
export type LineEdit = (fields: string[] | undefined) => string[] | undefined;

/** Apply edits (key -> edit) to a colon file's text: replace, delete (undefined) or append. */
export function editColonFile(text: string, edits: ReadonlyMap<string, LineEdit>): string {
  const seen = new Set<string>();
  const out: string[] = [];
  const all = text.split('\n');
  if (all.at(-1) === '') all.pop();
  for (const l of all) {
    const f = l.split(':');
    const edit = l && !l.startsWith('#') ? edits.get(f[0]!) : undefined;
    if (!edit) {
      out.push(l);
      continue;
    }
    seen.add(f[0]!);
    const next = edit(f);
    if (next) out.push(next.join(':'));
  }
  for (const [key, edit] of edits) {
    if (seen.has(key)) continue;
    const next = edit(undefined);
    if (next) out.push(next.join(':'));
  }
  return out.length ? `${out.join('\n')}\n` : '';
}

/**
 * A change that re-reads a colon file at apply time, applies the same pure edits the plan used
 * for its diff, and writes it back atomically (mode and owner kept).
 */
export function colonFileChange(path: string, edits: ReadonlyMap<string, LineEdit>): Change {
  return {
    kind: 'call',
    describe: `edit ${path}`,
    async run(h: Host) {
      const cur = await h.readFile(path);
      const text = cur.content?.toString('utf8') ?? '';
      const next = editColonFile(text, edits);
      if (next !== text) await h.writeFile(path, next);
    },
  };
}

/** Members list edit for /etc/group lines: add or remove one user. */
export function memberEdit(user: string, present: boolean): LineEdit {
  return (f) => {
    if (!f) return undefined;
    const members = (f[3] ?? '').split(',').filter(Boolean);
    const next = present ? (members.includes(user) ? members : [...members, user]) : members.filter((m) => m !== user);
    const g = [...f];
    while (g.length < 4) g.push('');
    g[3] = next.join(',');
    return g;
  };
}

export function homeChanges(path: string, owner: string, group: string): Change[] {
  const home = pathArg(path);
  return [
    { kind: 'exec', command: sh`mkdir -p ${home} && { [ ! -d /etc/skel ] || cp -a /etc/skel/. ${home}; } && chown -R ${`${owner}:${group}`} ${home} && chmod 0755 ${home}` },
  ];
}


import { ArgumentError } from '@shipshape/core';
import { bucketOf, parseNameTime } from './timestamp.js';

/** How many backups to keep per class, like Proxmox's `prune-backups`. Unset classes keep nothing extra. */
export interface RetentionPolicy {
  readonly keepLast?: number;
  readonly keepHourly?: number;
  readonly keepDaily?: number;
  readonly keepWeekly?: number;
  readonly keepMonthly?: number;
  readonly keepYearly?: number;
}

export interface RetentionDecision {
  /** Names to keep, newest first, with the class that kept each. */
  readonly keep: readonly { readonly name: string; readonly by: RetentionClass }[];
  /** Names to delete, newest first. */
  readonly remove: readonly string[];
  /** Names without a recognisable timestamp: never touched. */
  readonly ignored: readonly string[];
}

export type RetentionClass = 'last' | 'hourly' | 'daily' | 'weekly' | 'monthly' | 'yearly' | 'all';

const CLASSES: readonly [RetentionClass & keyof typeof bucketOf, keyof RetentionPolicy][] = [
  ['last', 'keepLast'],
  ['hourly', 'keepHourly'],
  ['daily', 'keepDaily'],
  ['weekly', 'keepWeekly'],
  ['monthly', 'keepMonthly'],
  ['yearly', 'keepYearly'],
];

/**
 * Parse Proxmox's option string, e.g. `keep-last=3,keep-daily=7`. `keep-all=1` is the empty policy.
 * @example parseRetention('keep-last=2,keep-weekly=4') // { keepLast: 2, keepWeekly: 4 }
 */
export function parseRetention(text: string): RetentionPolicy {
  const policy: Record<string, number> = {};
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const m = /^keep-(all|last|hourly|daily|weekly|monthly|yearly)=(\d+)$/.exec(part);
    if (!m) throw new ArgumentError(`retention: bad item ${JSON.stringify(part)} (expected keep-<class>=<n>)`, 'retention', text);
    if (m[1] === 'all') continue;
    policy[`keep${m[1]![0]!.toUpperCase()}${m[1]!.slice(1)}`] = Number(m[2]);
  }
  return policy;
}

function validate(policy: RetentionPolicy): void {
  for (const [, key] of CLASSES) {
    const v = policy[key];
    if (v !== undefined && (!Number.isInteger(v) || v < 0)) {
      throw new ArgumentError(`retention: ${key} must be a non-negative integer, got ${JSON.stringify(v)}`, key, v);
    }
  }
}

/**
 * Decide which timestamped backups to keep, with Proxmox's algorithm: newest first, each class
 * keeps the newest backup of each of its N most recent buckets (hour, day, ISO week, ...),
 * skipping buckets already covered by an earlier class. Files of one group (same name once the
 * timestamp is removed, e.g. `vzdump-openvz-101-*.tar.gz`) are pruned together; an empty policy
 * keeps everything. Pure: no clock, no I/O.
 * @example selectRetention(['db-2024_01_01-00_00_00.tar', 'db-2024_01_02-00_00_00.tar'], { keepLast: 1 }).remove
 * // ['db-2024_01_01-00_00_00.tar']
 */
export function selectRetention(names: readonly string[], policy: RetentionPolicy): RetentionDecision {
  validate(policy);
  const ignored: string[] = [];
  const groups = new Map<string, { name: string; time: Date }[]>();
  for (const name of names) {
    const parsed = parseNameTime(name);
    if (!parsed) {
      ignored.push(name);
      continue;
    }
    const group = name.replace(parsed.text, '*');
    const list = groups.get(group) ?? [];
    list.push({ name, time: parsed.time });
    groups.set(group, list);
  }
  const keepAll = CLASSES.every(([, key]) => !policy[key]);
  const marks = new Map<string, RetentionClass | 'remove'>();
  for (const list of groups.values()) {
    list.sort((a, b) => b.time.getTime() - a.time.getTime() || (a.name < b.name ? -1 : 1));
    if (keepAll) {
      for (const e of list) marks.set(e.name, 'all');
      continue;
    }
    for (const [cls, key] of CLASSES) markClass(list, marks, policy[key] ?? 0, cls);
  }
  const all = [...groups.values()].flat().sort((a, b) => b.time.getTime() - a.time.getTime() || (a.name < b.name ? -1 : 1));
  const keep: { name: string; by: RetentionClass }[] = [];
  const remove: string[] = [];
  for (const e of all) {
    const mark = marks.get(e.name);
    if (mark && mark !== 'remove') keep.push({ name: e.name, by: mark });
    else remove.push(e.name);
  }
  return { keep, remove, ignored };
}

/** One class pass (pve-storage prune_mark_backup_group's mark_selections). */
function markClass(
  list: readonly { name: string; time: Date }[],
  marks: Map<string, RetentionClass | 'remove'>,
  count: number,
  cls: keyof typeof bucketOf,
): void {
  if (count <= 0) return;
  const idOf = bucketOf[cls];
  const already = new Set(list.filter((e) => { const m = marks.get(e.name); return m && m !== 'remove'; }).map((e) => idOf(e.time)));
  const newly = new Set<string>();
  for (const e of list) {
    const id = idOf(e.time);
    if (marks.has(e.name) || already.has(id)) continue;
    if (!newly.has(id)) {
      if (newly.size >= count) break;
      newly.add(id);
      marks.set(e.name, cls);
    } else {
      marks.set(e.name, 'remove');
    }
  }
}

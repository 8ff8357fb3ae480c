import type { Task } from '../types.js';

export interface TagFilter {
  readonly tags?: readonly string[];
  readonly skipTags?: readonly string[];
}

/** Ansible's rules: `always` runs unless skipped explicitly, `never` only when asked for. */
export function tagSelected(own: readonly string[], filter: TagFilter): boolean {
  const set = new Set(own);
  if (filter.skipTags?.some((t) => set.has(t) || (t === 'tagged' && set.size > 0) || (t === 'untagged' && set.size === 0))) return false;
  if (set.has('always')) return true;
  const wanted = filter.tags ?? [];
  if (wanted.length === 0 || wanted.includes('all')) return !set.has('never');
  return wanted.some((t) => set.has(t) || (t === 'tagged' && set.size > 0) || (t === 'untagged' && set.size === 0));
}

export function taskTags(t: Task, inherited: readonly string[]): string[] {
  return [...inherited, ...(t.options.tags ?? [])];
}

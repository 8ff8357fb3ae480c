/** One job of a run: hosts worked on together by one worker. */
export interface Slice {
  readonly index: number;
  /** Workers with this tag only (the hosts' `shipshape_worker_tag`); none: any worker. */
  readonly tag?: string;
  readonly hosts: readonly string[];
}

/** The inventory var that pins a host to workers started with `--tags`. */
export const WORKER_TAG_VAR = 'shipshape_worker_tag';

/**
 * Cut hosts into slices of at most `size`, hosts of one worker tag together, in the given order.
 * @example cutSlices(['a', 'b', 'c'], 2, () => undefined) // [{index 0: a, b}, {index 1: c}]
 */
export function cutSlices(hosts: readonly string[], size: number, tagOf: (host: string) => string | undefined, firstIndex = 0): Slice[] {
  const groups = new Map<string | undefined, string[]>();
  for (const h of hosts) {
    const t = tagOf(h);
    if (!groups.has(t)) groups.set(t, []);
    groups.get(t)!.push(h);
  }
  const out: Slice[] = [];
  for (const [tag, list] of groups) {
    for (let i = 0; i < list.length; i += size) {
      out.push({ index: firstIndex + out.length, ...(tag !== undefined ? { tag } : {}), hosts: list.slice(i, i + size) });
    }
  }
  return out;
}

/** The default slice size: one slice per free slot of the live workers. */
export function defaultSliceSize(hosts: number, slots: number): number {
  return Math.max(1, Math.ceil(hosts / Math.max(1, slots)));
}

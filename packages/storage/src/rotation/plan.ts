/**
 * The pure half of N-generation rotation (`daily.0` … `daily.N-1`, newest in `.0`).
 * Nothing is deleted before the new generation is in place: the expiring generations are
 * first renamed aside (`daily.expired.9`), the others shift by one, staging becomes `daily.0`,
 * and only then the expired ones are deleted. A crash at any point loses no kept generation;
 * leftovers (`daily.staging`, `daily.expired.*`) are cleared by the next run before it uploads.
 */
import { ArgumentError } from '@shipshape/core';

export type RotationOp =
  | { readonly op: 'rename'; readonly from: string; readonly to: string }
  | { readonly op: 'delete'; readonly path: string };

/** Directory names a rotation uses, derived from the generation name. */
export function rotationNames(name: string): { staging: string; generation: (i: number) => string; expired: (i: number) => string } {
  return {
    staging: `${name}.staging`,
    generation: (i) => `${name}.${i}`,
    expired: (i) => `${name}.expired.${i}`,
  };
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Index of a generation directory (`daily.3` → 3), undefined for anything else. */
export function generationIndex(entry: string, name: string): number | undefined {
  const m = new RegExp(`^${escape(name)}\\.(\\d+)$`).exec(entry);
  return m ? Number(m[1]) : undefined;
}

/** Leftovers of an interrupted run that the next run deletes first. */
export function staleEntries(entries: readonly string[], name: string): string[] {
  const re = new RegExp(`^${escape(name)}\\.(staging|expired\\.\\d+)$`);
  return entries.filter((e) => re.test(e));
}

/** Existing generation indices, ascending. */
export function generations(entries: readonly string[], name: string): number[] {
  return entries
    .map((e) => generationIndex(e, name))
    .filter((i): i is number => i !== undefined)
    .sort((a, b) => a - b);
}

/**
 * The renames and deletes that promote `<name>.staging` to `<name>.0`, given the entries of
 * the destination directory (after stale entries were cleared). Missing generations are
 * skipped, as rsnapshot does.
 * @example planRotation(['daily.0', 'daily.1'], { name: 'daily', keep: 2 })
 * // rename daily.1 → daily.expired.1, daily.0 → daily.1, daily.staging → daily.0, delete daily.expired.1
 */
export function planRotation(entries: readonly string[], opts: { readonly name: string; readonly keep: number }): RotationOp[] {
  const { name, keep } = opts;
  if (!Number.isInteger(keep) || keep < 1) throw new ArgumentError(`keep must be a positive integer, got ${keep}`, 'keep', keep);
  const n = rotationNames(name);
  const existing = generations(entries, name);
  const expiring = existing.filter((i) => i >= keep - 1).reverse();
  const shifting = existing.filter((i) => i < keep - 1).reverse();
  return [
    ...expiring.map((i): RotationOp => ({ op: 'rename', from: n.generation(i), to: n.expired(i) })),
    ...shifting.map((i): RotationOp => ({ op: 'rename', from: n.generation(i), to: n.generation(i + 1) })),
    { op: 'rename', from: n.staging, to: n.generation(0) },
    ...expiring.map((i): RotationOp => ({ op: 'delete', path: n.expired(i) })),
  ];
}

import { describe, expect, it } from '@jest/globals';
import { fixtureCases } from '@shipshape/core/testing';
import { planRotation, staleEntries, type RotationOp } from './plan.js';

interface Case {
  entries: string[];
  name: string;
  keep: number;
  ops?: string[];
  error?: string;
}

const show = (o: RotationOp): string => (o.op === 'rename' ? `rename ${o.from} ${o.to}` : `delete ${o.path}`);

describe('planRotation fixtures', () => {
  for (const [file, c] of fixtureCases<Case>(new URL('./fixtures/', import.meta.url))) {
    it(file, () => {
      const plan = () => planRotation(c.entries, { name: c.name, keep: c.keep });
      if (c.error) expect(plan).toThrow(c.error);
      else expect(plan().map(show)).toEqual(c.ops);
    });
  }
});

describe('staleEntries', () => {
  it('finds staging and expired leftovers of this name only', () => {
    expect(staleEntries(['daily.staging', 'daily.expired.9', 'daily.0', 'weekly.staging', 'daily.stagingx'], 'daily')).toEqual([
      'daily.staging',
      'daily.expired.9',
    ]);
  });
});

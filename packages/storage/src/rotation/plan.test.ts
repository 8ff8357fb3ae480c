import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { planRotation, staleEntries, type RotationOp } from './plan.js';

interface Case {
  entries: string[];
  name: string;
  keep: number;
  ops?: string[];
  error?: string;
}

const dir = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
const show = (o: RotationOp): string => (o.op === 'rename' ? `rename ${o.from} ${o.to}` : `delete ${o.path}`);

describe('planRotation fixtures', () => {
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    it(file, () => {
      const c = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Case;
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

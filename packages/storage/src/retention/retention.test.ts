import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { parseRetention, selectRetention, type RetentionPolicy } from './retention.js';

interface Case {
  policy: RetentionPolicy | string;
  files: string[];
  keep?: string[];
  by?: string[];
  remove?: string[];
  ignored?: string[];
  error?: string;
}

const dir = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');

describe('selectRetention fixtures', () => {
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    it(file, () => {
      const c = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Case;
      const decide = () => selectRetention(c.files, typeof c.policy === 'string' ? parseRetention(c.policy) : c.policy);
      if (c.error) {
        expect(decide).toThrow(c.error);
        return;
      }
      const d = decide();
      expect(d.keep.map((k) => k.name).sort()).toEqual([...c.keep!].sort());
      expect([...d.remove].sort()).toEqual([...c.remove!].sort());
      expect(d.ignored).toEqual(c.ignored ?? []);
      if (c.by) expect(d.keep.map((k) => k.by)).toEqual(c.by);
    });
  }
});

import { describe, expect, it } from '@jest/globals';
import { fixtureCases } from '@shipshape/core/testing';
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

describe('selectRetention fixtures', () => {
  for (const [file, c] of fixtureCases<Case>(new URL('./fixtures/', import.meta.url))) {
    it(file, () => {
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

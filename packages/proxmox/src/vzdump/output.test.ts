import { describe, expect, it } from '@jest/globals';
import { fixtureCases } from '@shipshape/core/testing';
import { logPathOf, parseVzdumpOutput } from './output.js';

describe('parseVzdumpOutput fixtures', () => {
  for (const [file, c] of fixtureCases<{ text: string[]; ok: boolean; errors: string[]; backups: unknown[] }>(new URL('./fixtures/', import.meta.url))) {
    it(file, () => {
      const r = parseVzdumpOutput(c.text.join('\n'));
      expect(r).toEqual({ ok: c.ok, errors: c.errors, backups: c.backups });
    });
  }
});

describe('logPathOf', () => {
  it('maps every archive extension to the .log beside it, and rejects foreign names', () => {
    expect(logPathOf('/d/vzdump-qemu-100-2024_01_31-02_00_01.vma.zst')).toBe('/d/vzdump-qemu-100-2024_01_31-02_00_01.log');
    expect(logPathOf('/d/vzdump-openvz-101-2010_01_31-02_00_01.tgz')).toBe('/d/vzdump-openvz-101-2010_01_31-02_00_01.log');
    expect(logPathOf('/d/backup-101.tar.gz')).toBeUndefined();
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { logPathOf, parseVzdumpOutput } from './output.js';

const dir = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');

describe('parseVzdumpOutput fixtures', () => {
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    it(file, () => {
      const c = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { text: string[]; ok: boolean; errors: string[]; backups: unknown[] };
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

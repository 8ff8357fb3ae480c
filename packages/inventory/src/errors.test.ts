// Malformed inventories fail with an InventoryError naming the file, the line and the offending
// text. Data-driven: fixtures/errors/*.json = { file, content, message, line?, text? }.
import { describe, it, expect } from '@jest/globals';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InventoryError } from '@shipshape/core';
import { loadInventory } from './inventory.js';

const DIR = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'errors');

interface Case {
  file: string;
  content: string;
  message: string;
  line?: number;
  text?: string;
}

describe.each(readdirSync(DIR).sort())('%s', (name) => {
  const c = JSON.parse(readFileSync(join(DIR, name), 'utf8')) as Case;
  it('fails with file, line and offending text', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ss-inv-err-'));
    const file = join(dir, c.file);
    writeFileSync(file, c.content);
    const err = await loadInventory(file, { sshConfigPath: false }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(InventoryError);
    const e = err as InventoryError;
    expect(e.file).toBe(file);
    expect(e.message).toContain(c.message);
    if (c.line !== undefined) {
      expect(e.line).toBe(c.line);
      expect(e.message).toContain(`${file}:${c.line}:`);
    }
    if (c.text !== undefined) expect(e.message).toContain(JSON.stringify(c.text));
  });
});

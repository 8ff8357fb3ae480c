// Malformed inventories fail with an InventoryError naming the file, the line and the offending
// text. Data-driven: fixtures/errors/*.json = { file, content, message, line?, text? }.
import { describe, it, expect } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InventoryError } from '@shipshape/core';
import { fixtureCases } from '@shipshape/core/testing';
import { loadInventory } from './inventory.js';

interface Case {
  file: string;
  content: string;
  message: string;
  line?: number;
  text?: string;
}

describe.each(fixtureCases<Case>(new URL('./fixtures/errors/', import.meta.url)))('%s', (_name, c) => {
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

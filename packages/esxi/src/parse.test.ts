// Walks fixtures/parsers/*.json: { parser, input, expected | error }.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { parseBootbank } from './facts.js';
import * as parsers from './parse.js';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'parsers');
const table: Record<string, (s: string) => unknown> = { ...parsers, parseBootbank } as never;

describe('ESXi output parsers', () => {
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    const c = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as { parser: string; input: string; expected?: unknown; error?: string };
    it(file, () => {
      const fn = table[c.parser];
      expect(typeof fn).toBe('function');
      if (c.error !== undefined) expect(() => fn!(c.input)).toThrow(c.error);
      else expect(fn!(c.input)).toEqual(c.expected);
    });
  }
});

// Walks fixtures/parsers/*.json: { parser, input, expected | error }.
import { describe, expect, it } from '@jest/globals';
import { fixtureCases } from '@shipshape/core/testing';
import { parseBootbank } from './facts.js';
import * as parsers from './parse.js';

const table: Record<string, (s: string) => unknown> = { ...parsers, parseBootbank } as never;

describe('ESXi output parsers', () => {
  for (const [file, c] of fixtureCases<{ parser: string; input: string; expected?: unknown; error?: string }>(new URL('./fixtures/parsers/', import.meta.url))) {
    it(file, () => {
      const fn = table[c.parser];
      expect(typeof fn).toBe('function');
      if (c.error !== undefined) expect(() => fn!(c.input)).toThrow(c.error);
      else expect(fn!(c.input)).toEqual(c.expected);
    });
  }
});

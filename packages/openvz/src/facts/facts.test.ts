import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import type { ExecResult, FactDef } from '@shipshape/core';
import { containersFact, ctConfigFact, templatesFact, vzConfFact } from './vzctl.js';

const facts: Record<string, FactDef<unknown, any>> = {
  containers: containersFact,
  templates: templatesFact,
  vzconf: vzConfFact,
  ctconfig: ctConfigFact,
};
const dir = new URL('../fixtures/facts/', import.meta.url);
const cases = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .map((f) => [f, JSON.parse(readFileSync(new URL(f, dir), 'utf8'))] as const);

describe('openvz facts (fixtures)', () => {
  it.each(cases)('%s', (_f, c) => {
    const fact = facts[c.fact]!;
    const result: ExecResult = { ...c.result, stdoutBytes: Buffer.from(c.result.stdout) };
    expect(fact.command(c.arg).text.length).toBeGreaterThan(0);
    if (c.error) expect(() => fact.parse(result, c.arg)).toThrow(c.error);
    else expect(JSON.parse(JSON.stringify(fact.parse(result, c.arg)))).toEqual(c.expected);
  });
});

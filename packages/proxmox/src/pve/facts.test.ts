import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import type { FactDef } from '@shipshape/core';
import { nodesFact, pctConfigFact, pctListFact, pveamListFact, pveversionFact, qmConfigFact, qmListFact, storagesFact } from './facts.js';

const facts: Record<string, FactDef<unknown, never>> = {
  pveversion: pveversionFact, nodes: nodesFact, storages: storagesFact, pctList: pctListFact, pctConfig: pctConfigFact,
  qmList: qmListFact, qmConfig: qmConfigFact, pveamList: pveamListFact,
} as Record<string, FactDef<unknown, never>>;

const dir = new URL('./fixtures/facts/', import.meta.url);
const cases = readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => [f, JSON.parse(readFileSync(new URL(f, dir), 'utf8'))] as const);

describe('Proxmox facts parse the real tools output (fixtures)', () => {
  it.each(cases)('%s', (_f, c) => {
    const def = facts[c.fact]!;
    const parse = () => def.parse({ code: c.code ?? 0, stdout: c.stdout, stderr: c.stderr ?? '' } as never, c.arg as never);
    if (c.error) return expect(parse).toThrow(c.error);
    expect(parse()).toEqual(c.expected);
  });
});

/**
 * Plan fixtures: every JSON file under fixtures/<module>/ is one case of core's fixture runner — args,
 * facts, and the expected changes, no-op or error. Adding a case is adding a file.
 */
import { describe, expect, it } from '@jest/globals';
import { readdirSync } from 'node:fs';
import type { FileState, ModuleDef } from '@shipshape/core';
import { planFixtures, type PlanFixtureOptions } from '@shipshape/core/testing';
import { modules } from '../registry.js';

const byName = new Map<string, ModuleDef>(Object.values(modules).map((f) => [f.module.name, f.module]));
const root = new URL('./fixtures/', import.meta.url);

/**
 * The editing modules plan on one file's state: its content is text in the case, bytes to the plan; a
 * second run on the file they wrote must change nothing (unless the case sets args.mode, which the
 * written state does not model).
 */
const fileContent: PlanFixtureOptions = {
  facts: (f) => {
    const s = f as FileState & { content?: string };
    return s.exists && typeof s.content === 'string' ? { ...s, content: Buffer.from(s.content) } : s;
  },
  again: (plan, facts, c) => {
    const w = plan.changes.find((ch) => ch.kind === 'write');
    if (!w || w.kind !== 'write' || (c.args as { mode?: unknown }).mode !== undefined) return undefined;
    const before = facts as FileState;
    return { ...(before.exists ? before : { exists: true, type: 'file', mode: '0644', owner: 'root', group: 'root' }), content: Buffer.from(w.content) };
  },
};
const EDITING = new Set(['lineinfile', 'blockinfile', 'replace', 'ini_file']);

for (const dir of readdirSync(root).sort()) {
  const mod = byName.get(dir);
  if (mod) planFixtures(mod, new URL(`${dir}/`, root), EDITING.has(dir) ? fileContent : {});
  else describe(`fixtures/${dir}`, () => it('names a builtin module', () => expect(mod).toBeDefined()));
}

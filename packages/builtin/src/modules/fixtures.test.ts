/**
 * Plan fixtures: every JSON file under fixtures/<module>/ is one case — args, facts, and the
 * expected changes, no-op or error. Adding a case is adding a file.
 */
import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, type Change, type ModuleDef, type Plan } from '@shipshape/core';
import { modules } from '../registry.js';

interface Case {
  description: string;
  args: unknown;
  facts: unknown;
  expect: {
    changed?: boolean;
    msg?: string;
    error?: string;
    changes?: unknown[];
    diff?: unknown[];
    result?: Record<string, unknown>;
  };
}

const byName = new Map<string, ModuleDef>(Object.values(modules).map((f) => [f.module.name, f.module]));
const root = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');

/** Changes as JSON: commands by their shell text, calls by their description. */
function serialize(c: Change): unknown {
  if (c.kind === 'exec') return { kind: 'exec', command: c.command.text, ...(c.stdin !== undefined ? { stdin: c.stdin.toString() } : {}) };
  if (c.kind === 'call') return { kind: 'call', describe: c.describe };
  const { content, ...rest } = c;
  return { ...rest, ...(Buffer.isBuffer(content) ? { contentBase64: content.toString('base64') } : { content }) };
}

for (const dir of readdirSync(root).sort()) {
  const mod = byName.get(dir);
  describe(`${dir} plan fixtures`, () => {
    it('names a builtin module', () => expect(mod).toBeDefined());
    for (const file of readdirSync(join(root, dir)).filter((f) => f.endsWith('.json')).sort()) {
      const c = JSON.parse(readFileSync(join(root, dir, file), 'utf8')) as Case;
      it(`${file}: ${c.description}`, () => {
        const attempt = (): Plan => mod!.plan(parseArgs(mod!, c.args, file), c.facts);
        if (c.expect.error !== undefined) {
          expect(attempt).toThrow(c.expect.error);
          return;
        }
        const plan = attempt();
        expect(plan.changed).toBe(c.expect.changed);
        if (c.expect.msg !== undefined) expect(plan.msg).toBe(c.expect.msg);
        if (plan.changed) {
          if (c.expect.changes) expect(plan.changes.map(serialize)).toEqual(c.expect.changes);
          if (c.expect.diff) expect(plan.diff).toEqual(c.expect.diff);
        } else expect(c.expect.changes ?? []).toEqual([]);
        if (c.expect.result) expect(plan.result).toMatchObject(c.expect.result);
      });
    }
  });
}

// @shipshape/core/testing: one JSON file per case for a module's plan or a fact's parser, run under jest.
// Adding a case is adding a file. Only this entry point imports jest (@jest/globals, an optional peer
// dependency), so playbooks and the CLI bundle never load it.
import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ModuleError } from './errors.js';
import { parseArgs } from './module.js';
import type { Change, ExecResult, FactDef, ModuleDef, Plan } from './types.js';

/**
 * One plan case: the module's raw args (they go through its schema, as the runner does), the facts its
 * gather would return, and what the plan must be. `error` is a substring of the message thrown by the
 * schema or the plan; otherwise `changed` is required.
 */
export interface PlanCase {
  readonly description: string;
  readonly args: unknown;
  readonly facts?: unknown;
  readonly expect: PlanExpect;
}

export interface PlanExpect {
  readonly changed?: boolean;
  /** The plan's message, exactly. */
  readonly msg?: string;
  readonly error?: string;
  /** The plan fails (an unchanged plan with `failed: true`); false asserts it does not. */
  readonly failed?: boolean;
  /**
   * Every change, in order: a string is matched against the change's short form (an exec's display
   * text, a call's describe, `write <path>` for a write); an object against its JSON form
   * (`{ kind: 'exec', command, stdin? }`, `{ kind: 'call', describe }`, a write with `content` or
   * `contentBase64`). An unchanged plan must expect none.
   */
  readonly changes?: readonly (string | Readonly<Record<string, unknown>>)[];
  readonly diff?: readonly unknown[];
  /** Matched against the plan's result (the keys given must equal; others may be there). */
  readonly result?: Readonly<Record<string, unknown>>;
  /** false: a second run may change again (where the real tool is not idempotent either); skips the `again` check. */
  readonly idempotent?: boolean;
}

/**
 * One fact case: the fact's argument, the output of its command on a real host, and the parsed value
 * (`result`, compared as JSON) or a substring of the error the parser throws.
 */
export interface FactCase {
  readonly description: string;
  readonly args?: unknown;
  readonly output: { readonly stdout: string; readonly stderr?: string; readonly code?: number };
  readonly expect: { readonly result?: unknown; readonly error?: string };
}

const PLAN_KEYS = ['description', 'args', 'facts', 'expect'];
const PLAN_EXPECT_KEYS = ['changed', 'msg', 'error', 'failed', 'changes', 'diff', 'result', 'idempotent'];
const FACT_KEYS = ['description', 'args', 'output', 'expect'];
const FACT_EXPECT_KEYS = ['result', 'error'];

const toPath = (dir: string | URL): string => (typeof dir === 'string' ? dir : fileURLToPath(dir));

/** Every `*.json` in `dir`, sorted by name, parsed: `[file name, case]`. A file that is not JSON is an error naming it. */
export function fixtureCases<T = Record<string, unknown>>(dir: string | URL): [file: string, value: T][] {
  const path = toPath(dir);
  return readdirSync(path)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const text = readFileSync(join(path, f), 'utf8');
      try {
        return [f, JSON.parse(text) as T];
      } catch (e) {
        throw new ModuleError(`fixture ${join(path, f)}: not JSON: ${(e as Error).message}`);
      }
    });
}

/** The case's own keys and its expect's, each of the known ones, or an error naming the file and the key. */
function checkShape(file: string, c: Record<string, unknown>, keys: string[], expectKeys: string[]): void {
  const bad = (what: string) => new ModuleError(`fixture ${file}: ${what}`);
  if (typeof c.description !== 'string' || !c.description) throw bad('field "description" is missing (a sentence: what the case shows)');
  if (!c.expect || typeof c.expect !== 'object') throw bad('field "expect" is missing');
  for (const k of Object.keys(c)) if (!keys.includes(k)) throw bad(`unknown field "${k}" (known: ${keys.join(', ')})`);
  for (const k of Object.keys(c.expect)) if (!expectKeys.includes(k)) throw bad(`unknown field "expect.${k}" (known: ${expectKeys.join(', ')})`);
}

/** A change in the short form a case may expect. */
export function showChange(c: Change): string {
  return c.kind === 'exec' ? c.command.display : c.kind === 'call' ? c.describe : `write ${c.path}`;
}

/** A change as JSON: commands by their shell text, calls by their description, writes with their content (base64 unless UTF-8). */
export function changeJson(c: Change): Record<string, unknown> {
  if (c.kind === 'exec') return { kind: 'exec', command: c.command.text, ...(c.stdin !== undefined ? { stdin: c.stdin.toString() } : {}) };
  if (c.kind === 'call') return { kind: 'call', describe: c.describe };
  const { content, ...rest } = c;
  const text = Buffer.isBuffer(content) && Buffer.from(content.toString('utf8')).equals(content) ? content.toString('utf8') : content;
  return { ...rest, ...(Buffer.isBuffer(text) ? { contentBase64: text.toString('base64') } : { content: text }) };
}

/** Asserts a plan against a case's `expect` (used by planFixtures; exported for runners whose plans take more than args and facts). */
export function expectPlan(run: () => Plan<unknown>, e: PlanExpect): Plan<unknown> | undefined {
  if (e.error !== undefined) {
    expect(run).toThrow(e.error);
    return undefined;
  }
  if (e.changed === undefined) throw new ModuleError('fixture: expect needs "changed" or "error"');
  const plan = run();
  expect(plan.changed).toBe(e.changed);
  if (e.msg !== undefined) expect(plan.msg).toBe(e.msg);
  if (e.failed !== undefined) expect(!plan.changed && plan.failed === true).toBe(e.failed);
  if (plan.changed) {
    if (e.changes) expect(plan.changes.map((c, i) => (typeof e.changes![i] === 'string' ? showChange(c) : changeJson(c)))).toEqual(e.changes);
    if (e.diff) expect(plan.diff).toEqual(e.diff);
  } else expect(e.changes ?? []).toEqual([]);
  if (e.result) expect(plan.result).toMatchObject(e.result);
  return plan;
}

/** A module definition, or a factory carrying one (`copy`, `vm`, …). */
export type ModuleLike = ModuleDef | { readonly module: ModuleDef };

export interface PlanFixtureOptions {
  /** Turn a case's JSON args into what the module's schema takes (values JSON cannot hold, such as tasks). */
  readonly args?: (args: unknown, c: PlanCase) => unknown;
  /** Turn a case's JSON facts into what the plan takes (Buffers, parsed samples). */
  readonly facts?: (facts: unknown, c: PlanCase) => unknown;
  /**
   * The facts a second gather would return after the plan's changes (undefined: cannot tell); the
   * runner plans again on them and expects no change, as a second run of a playbook must.
   */
  readonly again?: (plan: Plan<unknown> & { changed: true }, facts: unknown, c: PlanCase) => unknown;
}

/** A describe of one `it` per `dir/*.json` whose shape is checked first (and one that the folder has cases). */
function eachCase<C>(title: string, dir: string | URL, keys: readonly [string[], string[]], test: (c: C, file: string, path: string) => void): void {
  const path = toPath(dir);
  describe(`${title} (${basename(path)})`, () => {
    const cases = fixtureCases<C & { description: string }>(path);
    it('has cases', () => expect(cases.length).toBeGreaterThan(0));
    for (const [file, c] of cases) {
      it(`${file}: ${c.description}`, () => {
        checkShape(join(path, file), c as never, keys[0], keys[1]);
        test(c, file, join(path, file));
      });
    }
  });
}

/** One `it` per `dir/*.json` (a PlanCase) under a describe named after the module. */
export function planFixtures(def: ModuleLike, dir: string | URL, options: PlanFixtureOptions = {}): void {
  const mod: ModuleDef = 'module' in def ? def.module : def;
  eachCase<PlanCase>(`${mod.name} plan fixtures`, dir, [PLAN_KEYS, PLAN_EXPECT_KEYS], (c, file) => {
    const args = () => parseArgs(mod, options.args ? options.args(c.args, c) : c.args, file);
    const facts = options.facts ? options.facts(c.facts, c) : c.facts;
    const plan = expectPlan(() => mod.plan(args(), facts), c.expect);
    if (!plan?.changed || !options.again || c.expect.idempotent === false) return;
    const after = options.again(plan, facts, c);
    if (after !== undefined) expect(mod.plan(args(), after).changed).toBe(false);
  });
}

/** One `it` per `dir/*.json` (a FactCase): the fact's command renders for the case's args, its parser reads the output. */
export function factFixtures(def: FactDef<unknown, never>, dir: string | URL): void {
  eachCase<FactCase>(`${def.name} fact fixtures`, dir, [FACT_KEYS, FACT_EXPECT_KEYS], (c, _file, path) => {
    const args = c.args as never;
    expect(def.command(args).text.length).toBeGreaterThan(0);
    const stdout = c.output.stdout;
    const result: ExecResult = { code: c.output.code ?? 0, stdout, stderr: c.output.stderr ?? '', stdoutBytes: Buffer.from(stdout) };
    if (c.expect.error !== undefined) {
      expect(() => def.parse(result, args)).toThrow(c.expect.error);
      return;
    }
    if (!('result' in c.expect)) throw new ModuleError(`fixture ${path}: expect needs "result" or "error"`);
    expect(JSON.parse(JSON.stringify(def.parse(result, args)) ?? 'null')).toEqual(c.expect.result);
  });
}

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { script, sh } from '../command.js';
import { LocalConnection } from '../connection/local.js';
import { HostImpl } from '../host.js';
import type { Change, Plan } from '../types.js';
import { applyChanges, mergeExecs } from './execute.js';
import { FactCache, ReadCache } from './read-cache.js';

describe('consecutive commands of one plan run in one round trip', () => {
  const exec = (text: string, paths?: string[]): Change => ({ kind: 'exec', command: script(text), ...(paths ? { paths } : {}) });

  it('merges neighbouring commands, not writes, commands with stdin or commands whose output is judged', () => {
    const write: Change = { kind: 'write', path: '/a', content: 'x' };
    const fed: Change = { kind: 'exec', command: sh`cat`, stdin: 'in' };
    const merged = mergeExecs([exec('mkdir -p /a', ['/a']), exec('chmod 0750 /a', ['/a']), write, exec('true'), fed, exec('x', ['/b']), exec('y')]);
    expect(merged.map((c) => c.kind === 'exec' ? c.command.display : c.kind)).toEqual(['mkdir -p /a && chmod 0750 /a', 'write', 'true', 'cat', 'x && y']);
    expect((merged[0] as Change & { kind: 'exec' }).paths).toEqual(['/a', '/a']);
    // One of them touches anything: so does the merged command.
    expect((merged[4] as Change & { kind: 'exec' }).paths).toBeUndefined();
    const judged: Change = { kind: 'exec', command: sh`vzctl set`, unchanged: () => undefined };
    expect(mergeExecs([exec('a'), judged, exec('b')]).map((c) => c.kind === 'exec' ? c.command.display : c.kind)).toEqual(['a', 'vzctl set', 'b']);
  });

  it('the first failure stops the rest, even when a command has its own ; and ||', () => {
    const [m] = mergeExecs([exec('echo one; false'), exec('echo two || true')]);
    const r = spawnSync('sh', ['-c', (m as Change & { kind: 'exec' }).command.text], { encoding: 'utf8' });
    expect(r.status).not.toBe(0);
    expect(r.stdout).toBe('one\n');
    const [ok] = mergeExecs([exec('echo one || false'), exec('echo two; true')]);
    expect(spawnSync('sh', ['-c', (ok as Change & { kind: 'exec' }).command.text], { encoding: 'utf8' }).stdout).toBe('one\ntwo\n');
  });
});

describe('the one apply loop', () => {
  const host = () => new HostImpl({
    name: 'local', connection: new LocalConnection('local'), vars: {}, check: false, diff: false, emit: () => undefined,
    facts: new FactCache(), reads: new ReadCache(), applyTask: () => { throw new Error('not used'); },
  });
  const plan = (list: Change[]): Plan & { changed: true } => ({ changed: true, msg: 'planned', changes: list, result: { kept: 1 } });
  let dir: string;
  beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'shipshape-apply-')); });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('merges what calls return over the plan result, and keeps a write\'s backup path', async () => {
    const file = join(dir, 'f');
    const r = await applyChanges(host(), plan([
      { kind: 'write', path: file, content: 'one\n' },
      { kind: 'call', describe: 'first', run: async () => ({ msg: 'first', data: { a: 1, b: 1 } }) },
      { kind: 'write', path: file, content: 'two\n', backup: true },
      { kind: 'call', describe: 'second', run: async () => ({ msg: 'second', data: { b: 2 } }) },
    ]));
    expect(readFileSync(file, 'utf8')).toBe('two\n');
    expect(r).toMatchObject({ changed: true, msg: 'second', data: { kept: 1, a: 1, b: 2 } });
    expect(readFileSync(r.data!.backup_file as string, 'utf8')).toBe('one\n');
  });

  it('is unchanged only when every change says so, with their reasons', async () => {
    const idle: Change = { kind: 'exec', command: sh`echo ${'No changes'}`, unchanged: (x) => (x.stdout.startsWith('No changes') ? 'tool: no changes' : undefined) };
    const busy: Change = { kind: 'exec', command: sh`echo ${'saved'}`, unchanged: idle.kind === 'exec' ? idle.unchanged : undefined };
    const quiet: Change = { kind: 'call', describe: 'nothing', run: async () => ({ changed: false }) };
    expect(await applyChanges(host(), plan([idle, quiet]))).toMatchObject({ changed: false, msg: 'planned (tool: no changes)' });
    expect(await applyChanges(host(), plan([idle, busy]))).toMatchObject({ changed: true });
    expect(await applyChanges(host(), plan([quiet, { kind: 'exec', command: sh`true` }]))).toMatchObject({ changed: true });
    // A call's own message is the task's, changed or not.
    const told: Change = { kind: 'call', describe: 'told', run: async () => ({ changed: false, msg: 'nothing differed' }) };
    expect(await applyChanges(host(), plan([quiet, told]))).toMatchObject({ changed: false, msg: 'nothing differed' });
  });

  it('turns a command with an outcome into the result it says, a non-zero exit included, and runs it alone', async () => {
    const outcome = (x: { code: number; stdout: string }) => ({ status: x.code ? ('failed' as const) : ('changed' as const), rc: x.code, stdout: x.stdout });
    const told: Change = { kind: 'exec', command: sh`echo ${'out'}; exit 3`, outcome };
    const plain = (text: string): Change => ({ kind: 'exec', command: script(text) });
    expect(mergeExecs([plain('a'), told, plain('b')])).toHaveLength(3);
    expect(await applyChanges(host(), plan([told]))).toMatchObject({ changed: true, status: 'failed', rc: 3, stdout: 'out\n', data: { kept: 1 } });
    const fed: Change = { kind: 'exec', command: sh`cat`, stdin: 'in', outcome };
    expect(await applyChanges(host(), plan([fed]))).toMatchObject({ status: 'changed', rc: 0, stdout: 'in' });
  });
});

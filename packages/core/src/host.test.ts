import { describe, expect, it } from '@jest/globals';
import { sh } from './command.js';
import { LocalConnection } from './connection/local.js';
import { nestedConnection } from './connection/nested.js';
import { HostImpl } from './host.js';
import { executeTask } from './internal/execute.js';
import { FactCache, ReadCache } from './internal/read-cache.js';
import { block, task } from './playbook.js';

const host = () => new HostImpl({
  name: 'local', connection: new LocalConnection('local'), vars: { who: 'vars' }, check: false, diff: false, emit: () => undefined,
  facts: new FactCache(), reads: new ReadCache(),
  applyTask: (h, t) => executeTask(t, { host: h, vars: h.vars, check: h.check, become: h.become, diff: h.diff }, h.name),
});

describe('Host.applyAll: tasks in order, blocks with rescue and always', () => {
  const ran: string[] = [];
  const step = (name: string, fail = false) => task(name, async () => { ran.push(name); if (fail) throw new Error(`${name} broke`); return true; });

  it('a failure in a block runs its rescue, then always; the rescued run goes on', async () => {
    ran.length = 0;
    const r = await host().applyAll([block('fixable', { block: [step('a'), step('b', true), step('not run')], rescue: [step('fix')], always: [step('clean')] }), step('after')]);
    expect(ran).toEqual(['a', 'b', 'fix', 'clean', 'after']);
    expect(r.failed).toBeUndefined();
    expect(r.changed).toBe(true);
    expect(r.results.map((x) => `${x.task}:${x.result.status}`)).toEqual(['a:changed', 'b:failed', 'fix:changed', 'clean:changed', 'after:changed']);
  });

  it('an unrescued failure runs always and stops the rest; it is the failure reported', async () => {
    ran.length = 0;
    const r = await host().applyAll([block('unfixed', { block: [step('a', true)], always: [step('clean')] }), step('after')]);
    expect(ran).toEqual(['a', 'clean']);
    expect(r.failed?.task).toBe('a');
    expect(r.failed?.result.msg).toContain('a broke');
  });

  it('a block whose when is false is skipped; its defaults sit below the host vars', async () => {
    ran.length = 0;
    let seen: unknown;
    const r = await host().applyAll([
      block('off', { block: [step('never')] }, { when: false }),
      block('with defaults', { block: [task('read', async (_h, c) => { seen = [c.vars.who, c.vars.only]; })], defaults: { who: 'defaults', only: 'defaults' } }),
    ]);
    expect(ran).toEqual([]);
    expect(seen).toEqual(['vars', 'defaults']);
    expect(r.failed).toBeUndefined();
  });
});

describe('nestedConnection', () => {
  it('wraps each command, renders env and cwd inside it, and reports a gone inside as unreachable', async () => {
    const h = host();
    const inner = nestedConnection(h, {
      name: 'local/inner',
      wrap: (c) => ({ text: sh`/bin/sh -c ${c.text}`.text, display: `inner ${c.display}` }),
      gone: (r) => (r.stdout.includes('GONE') ? 'the inside went away' : undefined),
    });
    const r = await inner.exec(sh`printf '%s %s' "$A" "$(pwd)"`, { env: { A: "it's $(id)" }, cwd: '/tmp' });
    expect(r.stdout).toBe("it's $(id) /tmp");
    await expect(inner.exec(sh`echo GONE`)).rejects.toMatchObject({ code: 'CONNECT', message: expect.stringContaining('the inside went away') });
    await expect(inner.exec(sh`true`, { env: { 'A;B': 'x' } })).rejects.toThrow(/bad environment variable name/);
  });
});

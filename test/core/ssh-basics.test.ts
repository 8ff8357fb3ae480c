import { describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { block, playbook, run, task, type RunEvent } from '@shipshape/core';
import { putFile } from '../support/modules.js';
import { useLab } from '../support/lab.js';

const lab = useLab({ id: 70, hosts: 3 });

const names = () => lab.hosts.map((h) => h.name);
const hostFile = (i: number, p: string) => join(lab.hosts[i]!.root, p);

describe('arguments reach the host literally', () => {
  it('quotes every interpolated value: spaces, quotes, $(...), backticks, ;, newlines, non-ASCII', async () => {
    const nasty = `a b 'single' "double" $(touch /root/pwned1) \`touch /root/pwned2\` ; touch /root/pwned3\nline2 é ü 日本 \\ $HOME *`;
    const path = '/root/dir with spaces/it\'s "here"';
    const pb = playbook({ name: 'quote', hosts: names()[0], tasks: [
      task('mkdir', async (h) => { await h.$`mkdir -p ${'/root/dir with spaces'}`; }),
      task('printf', async (h) => { await h.$`printf %s ${nasty} > ${path}`; }),
      putFile({ path: '/root/module-written', content: nasty }),
    ] });
    const s = await run(pb, { inventory: lab.inventory });
    expect(s.ok).toBe(true);
    expect(readFileSync(hostFile(0, path), 'utf8')).toBe(nasty);
    expect(readFileSync(hostFile(0, '/root/module-written'), 'utf8')).toBe(nasty);
    for (const p of ['pwned1', 'pwned2', 'pwned3']) expect(existsSync(hostFile(0, `/root/${p}`))).toBe(false);
  });
});

describe('check and diff modes', () => {
  it('check mode changes nothing on any host and diff shows before/after', async () => {
    const pb = playbook({ name: 'check', tasks: [putFile({ path: '/root/checked', content: 'new\n' })] });
    const events: RunEvent[] = [];
    const s = await run(pb, { inventory: lab.inventory, check: true, diff: true, onEvent: (e) => events.push(e) });
    expect(s.ok).toBe(true);
    for (let i = 0; i < lab.hosts.length; i++) expect(existsSync(hostFile(i, '/root/checked'))).toBe(false);
    const results = events.filter((e): e is Extract<RunEvent, { type: 'host:result' }> => e.type === 'host:result');
    expect(results).toHaveLength(3);
    for (const r of results) {
      expect(r.result.status).toBe('changed');
      expect(r.result.diff).toEqual([{ path: '/root/checked', before: '', after: 'new\n' }]);
    }
    const real = await run(pb, { inventory: lab.inventory });
    expect(Object.values(real.stats).map((x) => x.changed)).toEqual([1, 1, 1]);
    const again = await run(pb, { inventory: lab.inventory });
    expect(Object.values(again.stats).map((x) => x.changed)).toEqual([0, 0, 0]);
  });
});

describe('handlers and failures', () => {
  it('runs a handler once per notified host, only where a notifying task changed', async () => {
    const [a, b] = names();
    const pb = playbook({
      name: 'handlers',
      handlers: { record: task('record', async (h) => { await h.$`echo ran >> /root/handler-log`; }) },
      tasks: [
        putFile((c) => ({ path: '/root/h1', content: c.host === a || c.host === b ? 'x' : 'stable' }), { notify: 'record' }),
        putFile((c) => ({ path: '/root/h2', content: c.host === a ? 'y' : 'stable' }), { notify: 'record' }),
      ],
    });
    // Converge the third host first so only a and b change.
    await run(pb, { inventory: lab.inventory, limit: names()[2] });
    await lab.exec(names()[2]!, 'rm -f /root/handler-log');
    const s = await run(pb, { inventory: lab.inventory });
    expect(s.ok).toBe(true);
    expect(readFileSync(hostFile(0, '/root/handler-log'), 'utf8')).toBe('ran\n');
    expect(readFileSync(hostFile(1, '/root/handler-log'), 'utf8')).toBe('ran\n');
    expect(existsSync(hostFile(2, '/root/handler-log'))).toBe(false);
  });

  it('a failing host stops only itself', async () => {
    const bad = names()[1];
    const pb = playbook({ name: 'fail', tasks: [
      task('maybe fail', async (h) => { if (h.name === bad) await h.$`exit 3`; }),
      task('after', async (h) => { await h.$`touch /root/after-fail`; }),
    ] });
    const s = await run(pb, { inventory: lab.inventory });
    expect(s.failedHosts).toEqual([bad]);
    expect(existsSync(hostFile(0, '/root/after-fail'))).toBe(true);
    expect(existsSync(hostFile(1, '/root/after-fail'))).toBe(false);
    expect(existsSync(hostFile(2, '/root/after-fail'))).toBe(true);
    const failed = s.results.find((r) => r.host === bad)!;
    expect(failed.result.rc).toBe(3);
  });
});

describe('Ansible task semantics', () => {
  it('block / rescue / always', async () => {
    const log: string[] = [];
    const note = (m: string) => task(m, async (h) => { log.push(`${h.name}:${m}`); });
    const pb = playbook({ name: 'blocks', hosts: names()[0], tasks: [
      block('b', {
        block: [note('one'), task('boom', async (h) => { await h.$`false`; }), note('not reached')],
        rescue: [note('rescued')],
        always: [note('always')],
      }),
      note('after'),
    ] });
    const s = await run(pb, { inventory: lab.inventory });
    const h = names()[0];
    expect(log).toEqual([`${h}:one`, `${h}:rescued`, `${h}:always`, `${h}:after`]);
    expect(s.stats[h!]).toMatchObject({ rescued: 1, failed: 0 });
    expect(s.ok).toBe(true);
  });

  it('retries / until', async () => {
    const pb = playbook({ name: 'retries', hosts: names()[0], tasks: [
      task('count', async (h) => {
        const r = await h.$`n=$(cat /root/count 2>/dev/null || echo 0); n=$((n+1)); echo $n > /root/count; echo $n`;
        return { stdout: r.stdout.trim() };
      }, { retries: 5, delay: 0, until: (r) => r.stdout === '3', register: 'counted' }),
    ] });
    const s = await run(pb, { inventory: lab.inventory });
    expect(s.ok).toBe(true);
    expect(s.results[0]!.result.attempts).toBe(3);
    expect(readFileSync(hostFile(0, '/root/count'), 'utf8')).toBe('3\n');
  });

  it('when / loop / register', async () => {
    const pb = playbook({ name: 'loops', hosts: names()[0], tasks: [
      task('probe', async (h) => ({ stdout: (await h.$`echo 2`).stdout.trim() }), { register: 'probe' }),
      putFile((c) => ({ path: `/root/loop-${String(c.item)}`, content: String(c.item) }), {
        loop: ['a', 'b', 'c'], when: (c) => c.item !== 'b', register: 'looped',
      }),
      task('skipped by when', async (h) => { await h.$`touch /root/never`; }, { when: (c) => (c.vars.probe as { stdout: string }).stdout === '3' }),
    ] });
    const s = await run(pb, { inventory: lab.inventory });
    expect(existsSync(hostFile(0, '/root/loop-a'))).toBe(true);
    expect(existsSync(hostFile(0, '/root/loop-b'))).toBe(false);
    expect(existsSync(hostFile(0, '/root/loop-c'))).toBe(true);
    expect(existsSync(hostFile(0, '/root/never'))).toBe(false);
    const looped = s.results.find((r) => r.task === 'test_put_file')!.result;
    expect(looped.results!.map((r) => r.status)).toEqual(['changed', 'skipped', 'changed']);
    expect(s.results.at(-1)!.result.status).toBe('skipped');
  });
});

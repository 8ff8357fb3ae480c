import { describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hostnameFact, LocalConnection, NO_LOG_MSG, playbook, run, secret, task, type RunEvent } from '@shipshape/core';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { putFile } from '../support/modules.js';
import { useLab } from '../support/lab.js';

const lab = useLab({ id: 79, hosts: 3 });

const names = () => lab.hosts.map((h) => h.name);
const onHost = (i: number, p: string) => join(lab.hosts[i]!.root, p);

describe('task options', () => {
  it('runOnce runs on the first host only and registers the result for all', async () => {
    const seen: Record<string, unknown> = {};
    const pb = playbook({ name: 'once', tasks: [
      task('once', async (h) => ({ msg: (await h.$`hostname`).stdout.trim() }), { runOnce: true, register: 'first' }),
      task('read', async (_h, c) => { seen[c.host] = (c.vars.first as { msg: string }).msg; }),
    ] });
    const s = await run(pb, { inventory: lab.inventory });
    expect(s.ok).toBe(true);
    expect(Object.values(seen)).toEqual([names()[0], names()[0], names()[0]]);
  });

  it('runOnce counts, reports and notifies on the first host only, as Ansible does', async () => {
    const events: RunEvent[] = [];
    const notified: string[] = [];
    const pb = playbook({ name: 'once counts', handlers: { h: task('h', async (_h, c) => { notified.push(c.host); }) }, tasks: [
      task('once', async () => ({ changed: true }), { runOnce: true, notify: 'h' }),
    ] });
    const s = await run(pb, { inventory: lab.inventory, onEvent: (e) => events.push(e) });
    const [first, ...others] = names();
    expect(s.stats[first!]).toMatchObject({ ok: 2, changed: 1 });
    for (const o of others) expect(s.stats[o]).toMatchObject({ ok: 0, changed: 0 });
    expect(events.filter((e) => e.type === 'host:result' && e.task === 'once').map((e) => e.type === 'host:result' && e.host)).toEqual([first]);
    expect(notified).toEqual([first]);
  });

  it('runOnce that fails stops every host of the play', async () => {
    const after: string[] = [];
    const pb = playbook({ name: 'once fails', tasks: [
      task('once', async (h) => { await h.$`false`; }, { runOnce: true }),
      task('after', async (_h, c) => { after.push(c.host); }),
    ] });
    const s = await run(pb, { inventory: lab.inventory });
    expect(s.ok).toBe(false);
    expect(after).toEqual([]);
  });

  it('delegateTo runs on another host with the original host in context', async () => {
    const [a, b] = names();
    const pb = playbook({ name: 'delegate', hosts: b, tasks: [
      task('write on a', async (h, c) => { await h.$`echo ${c.host} >> /root/delegated`; }, { delegateTo: a }),
    ] });
    const events: RunEvent[] = [];
    expect((await run(pb, { inventory: lab.inventory, onEvent: (e) => events.push(e) })).ok).toBe(true);
    expect(readFileSync(onHost(0, 'root/delegated'), 'utf8')).toBe(`${b}\n`);
    // Shown as Ansible shows it, `[b -> a]`, and the commands as run on a.
    expect(events.filter((e) => e.type === 'host:result').map((e) => e.type === 'host:result' && [e.host, e.delegate])).toEqual([[b, a]]);
    const commands = events.filter((e) => e.type === 'command');
    expect(commands.length).toBeGreaterThan(0);
    for (const e of commands) expect(e).toMatchObject({ host: b, delegate: a });
    expect(existsSync(onHost(1, 'root/delegated'))).toBe(false);
  });

  it('a delegated task sees the facts of the host it runs on', async () => {
    const [a, b] = names();
    const seen: string[] = [];
    const pb = playbook({ name: 'delegate facts', hosts: b, tasks: [
      task('own', async (h) => { seen.push(await h.fact(hostnameFact, undefined)); }),
      task('delegated', async (h) => { seen.push(await h.fact(hostnameFact, undefined)); }, { delegateTo: a }),
    ] });
    await run(pb, { inventory: lab.inventory });
    expect(seen).toEqual([b, a]);
  });

  it('withConnection runs a task through another connection with full task semantics', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ss-withconn-'));
    const pb = playbook({ name: 'withConnection', hosts: names()[0], tasks: [
      task('on the controller', async (h) => {
        const local = h.withConnection(new LocalConnection('controller'));
        const r = await local.apply(putFile((c) => ({ path: join(dir, String(c.item)), content: 'x' }), { loop: ['one', 'two'] }));
        return { changed: r.changed, msg: String(r.results?.length) };
      }),
    ] });
    const s = await run(pb, { inventory: lab.inventory });
    expect(s.results[0]!.result).toMatchObject({ changed: true, msg: '2' });
    expect(readFileSync(join(dir, 'two'), 'utf8')).toBe('x');
  });

  it('changedWhen, failedWhen and ignoreErrors', async () => {
    const pb = playbook({ name: 'judge', hosts: names()[0], tasks: [
      task('grep', async (h) => { const r = await h.run({ text: 'grep -c nomatch /etc/hostname', display: 'grep' }, { allowFail: true }); return { rc: r.code, stdout: r.stdout.trim() }; },
        { failedWhen: (r) => (r.rc ?? 0) > 1, changedWhen: () => false }),
      task('boom', async (h) => { await h.$`exit 7`; }, { ignoreErrors: true }),
      task('still runs', async (h) => { await h.$`touch /root/after-ignored`; }),
    ] });
    const s = await run(pb, { inventory: lab.inventory });
    expect(s.ok).toBe(true);
    expect(s.results.map((r) => r.result.status)).toEqual(['ok', 'failed', 'ok']);
    expect(s.stats[names()[0]!]).toMatchObject({ ignored: 1, failed: 0 });
    expect(existsSync(onHost(0, 'root/after-ignored'))).toBe(true);
  });

  it('tags and skipTags select tasks; always runs unless skipped', async () => {
    const ran: string[] = [];
    const t = (n: string, tags: string[]) => task(n, async () => { ran.push(n); }, { tags });
    const pb = playbook({ name: 'tags', hosts: names()[0], tasks: [t('a', ['x']), t('b', ['y']), t('c', ['always']), t('d', ['never', 'debug'])] });
    await run(pb, { inventory: lab.inventory, tags: ['x'] });
    expect(ran).toEqual(['a', 'c']);
    ran.length = 0;
    await run(pb, { inventory: lab.inventory, skipTags: ['x'] });
    expect(ran).toEqual(['b', 'c']);
    ran.length = 0;
    await run(pb, { inventory: lab.inventory, tags: ['debug'] });
    expect(ran).toEqual(['c', 'd']);
  });

  it('noLog hides results from events', async () => {
    const events: RunEvent[] = [];
    const pb = playbook({ name: 'nolog', hosts: names()[0], tasks: [task('secret', async () => ({ msg: 'top secret value' }), { noLog: true })] });
    await run(pb, { inventory: lab.inventory, onEvent: (e) => events.push(e) });
    const r = events.find((e) => e.type === 'host:result') as Extract<RunEvent, { type: 'host:result' }>;
    expect(r.noLog).toBe(true);
  });

  it('the run summary shows results as reporters do: noLog output censored, secret values masked', async () => {
    const pw = secret('summary-pw-93');
    const pb = playbook({ name: 'summary', hosts: names()[0], tasks: [
      task('hidden', async () => ({ msg: 'top secret value' }), { noLog: true }),
      task('echo', async () => ({ msg: `the password is ${pw.value}` })),
    ] });
    const s = await run(pb, { inventory: lab.inventory });
    expect(s.results.map((r) => r.result.msg)).toEqual([NO_LOG_MSG, 'the password is ********']);
    expect(JSON.stringify(s)).not.toMatch(/top secret value|summary-pw-93/);
  });
});

describe('batched reads', () => {
  it('a converged run reads everything a host needs in one round trip', async () => {
    const pb = playbook({ name: 'prefetch', tasks: [1, 2, 3, 4].map((i) => putFile({ path: `/root/pf${i}`, content: `${i}\n` })) });
    const first = await run(pb, { inventory: lab.inventory });
    expect(Object.values(first.stats).map((x) => x.changed)).toEqual([4, 4, 4]);
    const second = await run(pb, { inventory: lab.inventory });
    expect(Object.values(second.stats).map((x) => x.changed)).toEqual([0, 0, 0]);
    expect(second.channels).toBe(3);
    // A change made behind the runner's back between runs is seen: nothing is cached across runs.
    await lab.exec(names()[1]!, 'echo tampered > /root/pf3');
    const third = await run(pb, { inventory: lab.inventory });
    expect(Object.values(third.stats).map((x) => x.changed)).toEqual([0, 1, 0]);
    expect(readFileSync(onHost(1, 'root/pf3'), 'utf8')).toBe('3\n');
  });
});

describe('strategies', () => {
  it('serial batches finish one batch (handlers included) before the next starts', async () => {
    const order: string[] = [];
    const pb = playbook({ name: 'serial', serial: 2, handlers: { h: task('h', async (h) => { order.push(`handler:${h.name}`); }) }, tasks: [
      task('work', async (h) => { order.push(`work:${h.name}`); return { changed: true }; }, { notify: 'h' }),
    ] });
    await run(pb, { inventory: lab.inventory });
    const [a, b, c] = names();
    expect(order.slice(0, 4).sort()).toEqual([`handler:${a}`, `handler:${b}`, `work:${a}`, `work:${b}`].sort());
    expect(order.slice(4)).toEqual([`work:${c}`, `handler:${c}`]);
  });

  it('free strategy lets a host run ahead of a slow one', async () => {
    const [a, b] = names();
    let releaseSlow!: () => void;
    const slowGate = new Promise<void>((r) => (releaseSlow = r));
    const order: string[] = [];
    const pb = playbook({ name: 'free', hosts: `${a},${b}`, strategy: 'free', tasks: [
      task('one', async (h) => { if (h.name === a) await slowGate; order.push(`one:${h.name}`); }),
      task('two', async (h) => { order.push(`two:${h.name}`); if (h.name === b) releaseSlow(); }),
    ] });
    await run(pb, { inventory: lab.inventory });
    // Under linear, b could not reach task two before a finished task one: this would deadlock.
    expect(order).toEqual([`one:${b}`, `two:${b}`, `one:${a}`, `two:${a}`]);
  });
});

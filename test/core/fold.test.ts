// Folding consecutive module tasks into one command per host (see packages/core/src/internal/fold.ts):
// the host ends as a sequential run leaves it, and every task reports what it would have reported.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { playbook, run, type ModuleTask, type RunEvent, type RunSummary, type Task } from '@shipshape/core';
import { blockinfile, file, lineinfile, replace, shell } from '@shipshape/builtin';
import { startLab, type Lab } from '@shipshape/testlab';

let lab: Lab;
beforeAll(async () => {
  lab = await startLab({ id: 84, hosts: 1 });
});
afterAll(async () => {
  await lab?.stop();
});

const CONF = '/root/fold.conf';
const ORIGINAL = '# sample\n#PasswordAuthentication yes\n#PermitRootLogin yes\nMaxAuthTries 6\n';
const onHost = (p: string) => join(lab.hosts[0]!.root, p);
const reset = () => writeFileSync(onHost(CONF), ORIGINAL, { mode: 0o640 });
const content = () => readFileSync(onHost(CONF), 'utf8');

const edits = (): ModuleTask[] => [
  lineinfile({ path: CONF, regexp: '^#?PasswordAuthentication', line: 'PasswordAuthentication no' }, { notify: 'reload' }),
  lineinfile({ path: CONF, regexp: '^#?PermitRootLogin', line: 'PermitRootLogin prohibit-password' }, { notify: 'reload', register: 'root_login' }),
  replace({ path: CONF, regexp: '^MaxAuthTries.*$', replace: 'MaxAuthTries 3' }, { notify: 'reload' }),
  blockinfile({ path: CONF, block: 'Match user backup\n    ForceCommand internal-sftp' }, { notify: 'reload' }),
  lineinfile({ path: CONF, line: 'X11Forwarding no' }, { notify: 'reload' }),
];

/** The same tasks, each made ineligible for folding by a `when` that is always true: a sequential run. */
const sequential = (tasks: readonly Task[]): Task[] => tasks.map((t) => ({ ...t, options: { ...t.options, when: () => true } }) as Task);

async function runOf(tasks: readonly Task[], o: { check?: boolean; diff?: boolean } = {}) {
  const commands: string[] = [];
  const onEvent = (e: RunEvent) => {
    if (e.type === 'command' && !e.command.startsWith('(prefetched)')) commands.push(e.command);
  };
  const handled: string[] = [];
  const pb = playbook({
    name: 'fold',
    handlers: { reload: shell({ cmd: `cat ${CONF} > /root/fold.seen-by-handler` }) },
    tasks: [...tasks],
  });
  const summary = await run(pb, { inventory: lab.inventory, onEvent, ...o });
  for (const r of summary.results) handled.push(`${r.task}:${r.result.status}`);
  return { summary, commands, handled };
}

/** What each task reported, without timing. */
const reported = (s: RunSummary) => s.results.map((r) => ({ task: r.task, status: r.result.status, changed: r.result.changed, msg: r.result.msg, diff: r.result.diff }));

describe('folding consecutive edits', () => {
  it('five edits of one file are one write; results, diffs, handler and file as a sequential run', async () => {
    reset();
    const seq = await runOf(sequential(edits()), { diff: true });
    const seqFile = content();
    const seqHandler = readFileSync(onHost('root/fold.seen-by-handler'), 'utf8');
    expect(seq.commands.filter((c) => c.startsWith('write '))).toHaveLength(5);

    reset();
    const folded = await runOf(edits(), { diff: true });
    expect(content()).toBe(seqFile);
    expect(readFileSync(onHost('root/fold.seen-by-handler'), 'utf8')).toBe(seqHandler);
    expect(reported(folded.summary)).toEqual(reported(seq.summary));
    expect(folded.summary.results.map((r) => r.result.diff?.[0]?.before)).toEqual(seq.summary.results.map((r) => r.result.diff?.[0]?.before));
    // One command for the five edits (the prefetch before it, the handler after).
    expect(folded.commands.filter((c) => c.includes('write '))).toEqual([`folded: write ${CONF}`]);
    expect(folded.summary.stats[lab.hosts[0]!.name]!.changed).toBe(6);
    // The mode is kept, as each write keeps it.
    expect((await lab.exec(lab.hosts[0]!.name, `stat -c %a ${CONF}`)).stdout.trim()).toBe('640');

    const again = await runOf(edits());
    expect(again.summary.stats[lab.hosts[0]!.name]!.changed).toBe(0);
    expect(again.commands.filter((c) => !c.startsWith('prefetch'))).toEqual([]);
  });

  it('a command reading the file between edits sees the first edit and not the second', async () => {
    reset();
    const [a, b] = edits();
    const pb = playbook({ name: 'reader', tasks: [a!, shell({ cmd: `cat ${CONF}` }, { register: 'seen' }), b!, shell({ cmd: `cat ${CONF}` }, { register: 'seen2' })] });
    const s = await run(pb, { inventory: lab.inventory });
    const out = s.results.filter((r) => r.task === 'shell').map((r) => r.result.stdout ?? '');
    expect(out[0]).toContain('PasswordAuthentication no');
    expect(out[0]).toContain('#PermitRootLogin yes');
    expect(out[1]).toContain('PermitRootLogin prohibit-password');
  });

  it('check mode changes nothing and diffs each task against the file as it is', async () => {
    reset();
    const seq = await runOf(sequential(edits()), { check: true, diff: true });
    const folded = await runOf(edits(), { check: true, diff: true });
    expect(content()).toBe(ORIGINAL);
    expect(reported(folded.summary)).toEqual(reported(seq.summary));
    for (const r of folded.summary.results.filter((x) => x.result.diff?.length)) expect(r.result.diff![0]!.before).toBe(ORIGINAL);
    expect(folded.commands.filter((c) => c.includes('write'))).toEqual([]);
  });

  it('a task failing in the middle leaves the file as a sequential run does, and later tasks unrun', async () => {
    const [a, b, , d, e] = edits();
    // Planned fine, fails on the host: a directory under a regular file.
    const bad = file({ path: `${CONF}/sub`, state: 'directory', mode: '0750' });
    const tasks = [a!, b!, bad, d!, e!];
    const noHandler = () => writeFileSync(onHost('root/fold.seen-by-handler'), '');
    reset();
    noHandler();
    const seq = await runOf(sequential(tasks));
    const seqFile = content();
    reset();
    noHandler();
    const folded = await runOf(tasks);
    expect(content()).toBe(seqFile);
    expect(content()).toContain('PermitRootLogin prohibit-password');
    expect(content()).not.toContain('Match user backup');
    expect(folded.handled).toEqual(seq.handled);
    expect(folded.handled).toEqual(['lineinfile:changed', 'lineinfile:changed', 'file:failed']);
    expect(reported(folded.summary)).toEqual(reported(seq.summary));
    // The host failed: its handler does not run (as in a sequential run).
    expect(readFileSync(onHost('root/fold.seen-by-handler'), 'utf8')).toBe('');
  });

  it('a mode set by one edit is kept by the next, as sequential writes keep it', async () => {
    reset();
    const tasks = [lineinfile({ path: CONF, line: 'one', mode: '0600' }), lineinfile({ path: CONF, line: 'two' })];
    const s = await runOf(tasks);
    expect(s.commands.filter((c) => c.includes('write '))).toEqual([`folded: write ${CONF}`]);
    expect((await lab.exec(lab.hosts[0]!.name, `stat -c %a ${CONF}`)).stdout.trim()).toBe('600');
    expect(content()).toBe(`${ORIGINAL}one\ntwo\n`);
  });

  it('Ctrl-C after a fold: the tasks whose edits it made are reported, nothing after them starts', async () => {
    reset();
    const abort = new AbortController();
    const pb = playbook({ name: 'abort', tasks: [...edits(), shell({ cmd: 'touch /root/fold.after-abort' })] });
    await lab.exec(lab.hosts[0]!.name, 'rm -f /root/fold.after-abort');
    const s = await run(pb, { inventory: lab.inventory, signal: abort.signal, onEvent: (e) => e.type === 'host:result' && abort.abort() });
    expect(s.aborted).toBe(true);
    expect(s.results.map((r) => `${r.task}:${r.result.status}`)).toEqual(['lineinfile:changed', 'lineinfile:changed', 'replace:changed', 'blockinfile:changed', 'lineinfile:changed']);
    expect(content()).toContain('X11Forwarding no');
    expect((await lab.exec(lab.hosts[0]!.name, 'ls /root/fold.after-abort 2>&1 || true')).stdout).toContain('No such file');
  });

  it('a task whose plan fails ends the fold before it: the edits before it are written', async () => {
    reset();
    const [a, b] = edits();
    const broken = replace({ path: CONF, regexp: '(unclosed', replace: 'x' });
    const s = await runOf([a!, b!, broken, lineinfile({ path: CONF, line: 'never' })]);
    expect(s.handled).toEqual(['lineinfile:changed', 'lineinfile:changed', 'replace:failed']);
    expect(content()).toContain('PermitRootLogin prohibit-password');
    expect(content()).not.toContain('never');
  });
});

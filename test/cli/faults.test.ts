import { describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useLab } from '../support/lab.js';
import { cli, FIX } from '../support/cli.js';

const lab = useLab({ id: 151, hosts: 2 });

describe('no success for nothing', () => {
  it.each([
    [['--forks', '0'], '--forks must be a whole number of at least 1, got "0"'],
    [['--forks', '-1'], '--forks must be a whole number of at least 1, got "-1"'],
    [['--forks', 'abc'], '--forks must be a whole number of at least 1, got "abc"'],
    [['--task-timeout', '1.5'], '--task-timeout must be a whole number of at least 0, got "1.5"'],
    [['-e', 'justaword'], '-e "justaword": "justaword" is not key=value'],
    [['-e', 'a=1 b'], '-e "a=1 b": "b" is not key=value'],
    [['-e', '[1, 2]'], '-e "[1, 2]": not a mapping but a list'],
  ])('%j is a usage error, before any host is touched', (args, message) => {
    const r = cli(['run', `${FIX}/converge.ts`, '-i', lab.inventoryPath, ...args]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(message);
    expect(r.out).not.toContain('TASK [');
  });

  it('a run that can never finish (a promise that never settles, nothing left to wait for) exits 1 with a message', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ss-unsettled-'));
    writeFileSync(join(dir, 'local.ini'), 'localhost ansible_connection=local\n');
    const r = cli(['run', `${FIX}/hang.ts`, '-i', join(dir, 'local.ini'), '--task-timeout', '0']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('ERROR! the run ended before it finished');
  });
});

describe('output larger than a task may give', () => {
  it('fails that task with a message; the connection goes on', () => {
    const r = cli(['run', `${FIX}/huge-output.ts`, '-i', lab.inventoryPath, '--limit', 'host1', '--json']);
    expect(r.code).toBe(0);
    const [huge, after] = JSON.parse(r.out).results;
    expect(huge).toMatchObject({ task: 'huge', status: 'failed', ignored: true });
    expect(huge.msg).toMatch(/^the command's stdout exceeded 128 MiB \(at least \d+ bytes\); its output was dropped$/);
    expect(after).toMatchObject({ task: 'after', status: 'changed', stdout: 'still here' });
  });
});

describe('errors that escape a task', () => {
  it('a throw from a timer or an unawaited rejection fails that task on that host; the others go on', () => {
    const r = cli(['run', `${FIX}/escaping-errors.ts`, '-i', lab.inventoryPath, '--json']);
    expect(r.code).toBe(2);
    expect(r.err).toBe('');
    const doc = JSON.parse(r.out);
    const msg = (task: string, host: string) => doc.results.find((x: { task: string; host: string; status: string }) => x.task === task && x.host === host && x.status === 'failed')?.msg;
    expect(msg('throws later', 'host1')).toMatch(/escaped from this task.*Error: late boom/);
    expect(msg('throws later', 'host2')).toMatch(/escaped from this task.*Error: nobody awaited this/);
    // The second task's timer fires while host1 is on the third: host1 fails, host2 goes on.
    expect(msg('timer outlives its task', 'host1')).toMatch(/task "timer outlives its task" had finished, but a callback or promise it left behind failed: Error: after the end/);
    expect(doc.stats.host1.failed).toBe(1);
    expect(doc.stats.host2.failed).toBe(0);
    expect(existsSync(join(lab.hosts[1]!.root, 'root/after-ran'))).toBe(true);
  });
});

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs, playbook, run, type FileState, type RunSummary } from '@shipshape/core';
import { startLab, type Lab } from '@shipshape/testlab';
import { envFile } from '../../docs/examples/env-file/env-file.js';

// The worked example of docs/write-a-module.md, as the guide tells a module author to test theirs:
// every fixture file through the pure plan, then the module twice against a real host over SSH.
const DIR = join(process.cwd(), 'docs/examples/env-file');

interface Case {
  readonly description: string;
  readonly args: unknown;
  readonly facts?: { exists: boolean; type?: FileState['type']; content?: string };
  readonly expect: { changed?: boolean; failed?: boolean; msg?: string; changes?: readonly unknown[]; error?: string };
}

const cases = readdirSync(join(DIR, 'fixtures')).filter((f) => f.endsWith('.json')).sort()
  .map((f) => [f, JSON.parse(readFileSync(join(DIR, 'fixtures', f), 'utf8')) as Case] as const);

describe('docs/write-a-module.md', () => {
  it('shows the example module as it is in docs/examples', () => {
    const guide = readFileSync(join(process.cwd(), 'docs/write-a-module.md'), 'utf8');
    const shown = /```ts\n(\/\/ docs\/examples\/env-file\/env-file\.ts\n[\s\S]*?)```/.exec(guide)?.[1];
    expect(shown).toBe(readFileSync(join(DIR, 'env-file.ts'), 'utf8'));
  });
});

describe('the env-file example: fixtures', () => {
  it('has cases', () => expect(cases.length).toBeGreaterThanOrEqual(5));
  it.each(cases)('%s', (_file, c) => {
    const def = envFile.module;
    if (c.expect.error) {
      expect(() => parseArgs(def, c.args, 'example')).toThrow(c.expect.error);
      return;
    }
    const args = parseArgs(def, c.args, 'example');
    const facts: FileState = { ...c.facts!, content: c.facts!.content === undefined ? undefined : Buffer.from(c.facts!.content) };
    const plan = def.plan(args, facts);
    expect({ changed: plan.changed, msg: plan.msg, failed: !plan.changed && plan.failed === true })
      .toEqual({ changed: c.expect.changed, msg: c.expect.msg, failed: c.expect.failed ?? false });
    // A case that expects a change says which: the bytes written are the point of the module.
    if (c.expect.changed) expect(c.expect.changes).toBeDefined();
    if (c.expect.changes) expect(plan.changed && plan.changes).toEqual(c.expect.changes);
  });
});

describe('the env-file example on a lab host over SSH', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await startLab({ id: 244, hosts: 1 });
  });
  afterAll(async () => {
    await lab?.stop();
  });

  const host = () => lab.hosts[0]!;
  const onHost = (path: string) => join(host().root, path);
  const tasks = [
    envFile({ path: '/etc/default/myapp', set: { PORT: '8080', GREETING: "it's $HOME" }, unset: ['DEBUG'] }),
  ];
  const runIt = (check = false): Promise<RunSummary> =>
    run(playbook({ name: 'env file', hosts: 'all', tasks }), { inventory: lab.inventory, check, diff: true });

  it('check mode reports the change and writes nothing; the first run changes, the second changes nothing', async () => {
    await lab.exec(host().name, "mkdir -p /etc/default && printf '# my app\\nDEBUG=1\\nPORT=1\\n' > /etc/default/myapp");
    const check = await runIt(true);
    expect(check.ok).toBe(true);
    expect(check.stats[host().name]!.changed).toBe(1);
    expect(readFileSync(onHost('/etc/default/myapp'), 'utf8')).toBe('# my app\nDEBUG=1\nPORT=1\n');

    const first = await runIt();
    expect(first.ok).toBe(true);
    expect(first.stats[host().name]!.changed).toBe(1);
    const text = readFileSync(onHost('/etc/default/myapp'), 'utf8');
    expect(text).toBe('# my app\nPORT=8080\nGREETING="it\'s \\$HOME"\n');
    // The shell reads back exactly the values given.
    const sourced = await lab.exec(host().name, '. /etc/default/myapp && printf "%s|%s|%s" "$PORT" "$GREETING" "${DEBUG-unset}"');
    expect(sourced.stdout).toBe("8080|it's $HOME|unset");
    expect((statSync(onHost('/etc/default/myapp')).mode & 0o777).toString(8)).toBe('644');

    const second = await runIt();
    expect(second.ok).toBe(true);
    expect(second.stats[host().name]!.changed).toBe(0);
    expect(second.results.map((r) => r.result.msg)).toEqual(['/etc/default/myapp: every variable as wanted']);
  });
});

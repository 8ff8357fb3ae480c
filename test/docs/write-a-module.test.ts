import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { playbook, run, type FileState, type RunSummary } from '@shipshape/core';
import { planFixtures } from '@shipshape/core/testing';
import { startLab, type Lab } from '@shipshape/testlab';
import { envFile } from '../../docs/examples/env-file/env-file.js';

// The worked example of docs/write-a-module.md, as the guide tells a module author to test theirs:
// every fixture file through the pure plan, then the module twice against a real host over SSH.
const DIR = join(process.cwd(), 'docs/examples/env-file');

/** A case's JSON facts as the plan gets them: the file's text as bytes. */
const fileState = (facts: unknown): FileState | undefined => {
  const f = facts as { exists: boolean; type?: FileState['type']; content?: string } | undefined;
  return f && { ...f, content: f.content === undefined ? undefined : Buffer.from(f.content) };
};

describe('docs/write-a-module.md', () => {
  it('shows the example module as it is in docs/examples', () => {
    const guide = readFileSync(join(process.cwd(), 'docs/write-a-module.md'), 'utf8');
    const shown = /```ts\n(\/\/ docs\/examples\/env-file\/env-file\.ts\n[\s\S]*?)```/.exec(guide)?.[1];
    expect(shown).toBe(readFileSync(join(DIR, 'env-file.ts'), 'utf8'));
  });
  it('shows a fixture that is in the fixtures folder', () => {
    const guide = readFileSync(join(process.cwd(), 'docs/write-a-module.md'), 'utf8');
    const shown = JSON.parse(/```json\n([\s\S]*?)```/.exec(guide)![1]!);
    expect(shown).toEqual(JSON.parse(readFileSync(join(DIR, 'fixtures/keeps-comments.json'), 'utf8')));
  });
});

// Every fixture through the schema and the pure plan; after a change, the plan on the file as written
// must be "no change", as a second run's must.
planFixtures(envFile, join(DIR, 'fixtures'), {
  facts: fileState,
  again: (plan) => {
    const write = plan.changes[0];
    return write?.kind === 'write' ? { exists: true, type: 'file', content: Buffer.from(write.content) } : undefined;
  },
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

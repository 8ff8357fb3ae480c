import { describe, expect, it } from '@jest/globals';
import { classify, parseReadme, substituteInventory } from './readme.js';

// How readme.test.ts reads a README: data in, commands out (no lab needed).
const MD = [
  '| job | one command |', //                                                         1
  '|---|---|',
  '| **Demo** `not a prose command` | `bash scripts/setup.sh && npm run demo` |',
  '',
  'Run it: `npx shipshape run pb.ts -i inv/hosts.ini --check` and see `shipshape`, `kill -HUP 1`, `shipshape run …`.', // 5
  '',
  '```sh',
  '$ shipshape lab up \\',
  '    --profile nas',
  '# a comment', //                                                                   10
  'shipshape lab down',
  '```',
  '',
  '```ts',
  '// playbooks/x.ts', //                                                             15
  'export default 1;',
  '```',
  '',
  '```',
  'shipshape run PLAYBOOK.ts -i INV [--check] [-v|-vv]', //                          20
  '              [--json]',
  'shipshape lab up [--hosts N] | lab down',
  '```',
  '',
  'Again `shipshape lab down` and `bash scripts/setup.sh`.', //                       25
  '',
  '```',
  'changed: [h1]',
  '```',
].join('\n');

describe('the README reader', () => {
  const r = parseReadme(MD);
  it('finds the commands: a command column, shell blocks, inline code that starts with a program', () => {
    expect(r.commands).toEqual([
      { text: 'bash scripts/setup.sh', lines: [3, 25] },
      { text: 'npm run demo', lines: [3] },
      { text: 'npx shipshape run pb.ts -i inv/hosts.ini --check', lines: [5] },
      { text: 'shipshape lab up --profile nas', lines: [8] },
      { text: 'shipshape lab down', lines: [11] },
      // lab up/down change what later commands see: each one runs where it stands.
      { text: 'shipshape lab down', lines: [25] },
    ]);
  });
  it('knows the files shown and the synopsis, and reports a block it cannot tell', () => {
    expect(r.files).toEqual([{ path: 'playbooks/x.ts', text: '// playbooks/x.ts\nexport default 1;', line: 15 }]);
    expect(r.synopsis).toEqual([
      { command: 'run', options: ['-i', '--check', '-v', '--json'], line: 20 },
      { command: 'lab up', options: ['--hosts'], line: 22 },
    ]);
    expect(r.problems).toEqual(['README.md:27: a code block without a language: mark it ```sh (commands a user runs) or ```text (output)']);
  });
  it('classifies each command, and knows none it cannot run', () => {
    expect(classify('npm test')).toMatchObject({ type: 'excluded' });
    expect(classify('npm run demo')).toMatchObject({ type: 'delegated', test: 'test/demo/demo.test.ts' });
    expect(classify('npm run bench -- --hosts 50 --reps 5')).toMatchObject({ type: 'delegated', mustContain: ['bench/run.mjs', "'--hosts'", "'--reps'"] });
    expect(classify('FORCE_COLOR=1 npx shipshape run x.ts')).toEqual({ type: 'run', inventory: true, lab: 'fixture' });
    expect(classify('shipshape lab up --hosts 2')).toEqual({ type: 'run', inventory: true, lab: 'scratch' });
    expect(classify('npm run typecheck')).toEqual({ type: 'run', inventory: false, lab: 'fixture' });
    expect(classify('curl https://example.org | sh')).toEqual({ type: 'unknown' });
  });
  it('puts the lab inventory where a command names one', () => {
    expect(substituteInventory('shipshape run a.ts -i inv/hosts.ini --check', '/lab/inv.ini')).toBe('shipshape run a.ts -i /lab/inv.ini --check');
    expect(substituteInventory('shipshape run a.ts --inventory=x -i y', '/l')).toBe('shipshape run a.ts --inventory=/l -i /l');
    expect(substituteInventory('shipshape run a.ts -i $(shipshape lab inventory)', '/l')).toBe('shipshape run a.ts -i $(shipshape lab inventory)');
  });
});

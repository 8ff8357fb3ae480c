import { describe, expect, it } from '@jest/globals';
import { Chalk } from 'chalk';
import type { RunEvent } from '@shipshape/core';
import { plainReporter } from './plain.js';

const lines = (events: RunEvent[], verbosity = 0): string[] => {
  const out: string[] = [];
  const r = plainReporter({ write: (l) => out.push(l), chalk: new Chalk({ level: 0 }), verbosity, diff: false });
  for (const e of events) r(e);
  return out;
};

describe('plain reporter', () => {
  it('labels a delegated result `[host -> delegate]` and its commands with the delegate, as Ansible does', () => {
    const out = lines([
      { type: 'command', host: 'web1', delegate: 'nas1', command: 'true' },
      { type: 'host:result', id: 1, task: 't', host: 'web1', delegate: 'nas1', result: { status: 'changed', changed: true } },
      { type: 'host:result', id: 1, task: 't', host: 'web2', result: { status: 'ok', changed: false } },
    ], 1);
    expect(out).toEqual(['<nas1> $ true', 'changed: [web1 -> nas1]', 'ok: [web2]']);
  });
});

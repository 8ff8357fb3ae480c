/**
 * Compile-time checks of typed vars (run by `tsc -p tsconfig.build.json`): each `@ts-expect-error`
 * line must fail to compile, or the build fails. Nothing calls this.
 */
import { z } from 'zod';
import { block, task } from './playbook.js';
import { defineModule, noChange } from './module.js';
import type { Task } from './types.js';

interface AppVars {
  app_port: number;
  users: { name: string; uid: number }[];
}

const echo = defineModule({
  name: 'echo',
  description: 'type check only',
  schema: z.object({ text: z.string() }),
  gather: async () => undefined,
  plan: (a) => noChange(a.text),
});

export function varsTypeChecks(): Task[] {
  return [
    task<AppVars>('port', async (_h, c) => ({ msg: c.vars.app_port.toFixed(0) })),
    task<AppVars>('names', async (_h, c) => ({ msg: c.vars.users.map((u) => u.name).join(',') }), { when: (c) => c.vars.app_port > 1024 }),
    // @ts-expect-error app_port is a number, not a string
    task<AppVars>('bad', async (_h, c) => ({ msg: c.vars.app_port.toUpperCase() })),
    // @ts-expect-error uid is a number: no trim()
    task<AppVars>('bad', async (_h, c) => ({ msg: c.vars.users[0]!.uid.trim() })),
    echo<AppVars>((c) => ({ text: String(c.vars.app_port + 1) })),
    // @ts-expect-error the module's args are still checked: text is a string
    echo<AppVars>((c) => ({ text: c.vars.app_port })),
    echo<AppVars>({ text: 'x' }, { loop: (c) => c.vars.users, until: (r, c) => r.changed || c.vars.app_port > 0 }),
    // @ts-expect-error loop gets the same typed context
    echo<AppVars>({ text: 'x' }, { loop: (c) => c.vars.app_port.split(',') }),
    block<AppVars>('b', { block: [], defaults: { app_port: 80 } }, { when: (c) => c.vars.users.length > 0 }),
    // untyped vars stay unknown: a cast or a check is needed
    // @ts-expect-error unknown has no toFixed
    task('untyped', async (_h, c) => ({ msg: c.vars.app_port.toFixed(0) })),
  ];
}

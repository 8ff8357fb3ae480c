import { defineModule, noChange, failure, script } from '@shipshape/core';
import { z } from 'zod';

export const pingSchema = z.object({
  /** What to answer with; `crash` makes the task fail, as in Ansible. */
  data: z.string().default('pong').describe('What to answer with; `crash` makes the task fail, as in Ansible.'),
}).strict();

/**
 * Check that the host's shell answers (Ansible's ping: one trivial command, nothing changed).
 * @example
 * ping({})
 */
export const ping = defineModule({
  name: 'ping',
  description: 'Check that the host answers',
  schema: pingSchema,
  gather: async (host) => {
    await host.run(script('true'), { touches: 'none' });
  },
  plan: (a) => (a.data === 'crash' ? failure('boom') : noChange(a.data, { ping: a.data })),
});

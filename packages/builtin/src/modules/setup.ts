import { defineModule, noChange, ansibleFactsView, setupFact, type Vars } from '@shipshape/core';
import { z } from 'zod';

export const setupSchema = z.object({
  /** Only the facts whose names match these globs (`ansible_distribution*`, with or without the prefix). */
  filter: z.union([z.string(), z.array(z.string())]).transform((f) => (Array.isArray(f) ? f : f.split(',').map((x) => x.trim()))).default([]).describe('Only the facts whose names match these globs (`ansible_distribution*`, with or without the prefix).'),
}).strict();

/**
 * Gather the host's facts (Ansible's names, `ansible_` prefixed in the result); later tasks see them
 * as `ansible_*` vars and in `ansible_facts`. One command per host.
 * @example
 * setup({ filter: ['ansible_distribution*'] })
 */
export const setup = defineModule({
  name: 'setup',
  description: 'Gather facts',
  schema: setupSchema,
  gather: (host) => host.fact(setupFact, undefined),
  plan: (a, facts: Vars) => noChange('facts gathered', { ansible_facts: ansibleFactsView(facts, a.filter) }),
});

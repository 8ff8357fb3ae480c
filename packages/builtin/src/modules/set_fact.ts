import { noChange, type Vars } from '@shipshape/core';
import { z } from 'zod';
import { removeOmit, renderValue, varsModule } from '../internal/expressions.js';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

export const setFactSchema = z
  .record(z.unknown())
  .superRefine((v, ctx) => {
    for (const k of Object.keys(v)) {
      if (k !== 'cacheable' && !IDENTIFIER.test(k)) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: [k], message: `The variable name '${k}' is not valid. Variables must start with a letter or underscore character, and contain only letters, numbers and underscores.` });
      }
    }
    if (Object.keys(v).filter((k) => k !== 'cacheable').length === 0) ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'No key/value pairs provided, at least one is required for this action to succeed' });
  });

/** Ansible's set_fact turns the strings true/false/yes/no into booleans. */
function coerce(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  const l = v.toLowerCase();
  return l === 'true' || l === 'yes' ? true : l === 'false' || l === 'no' ? false : v;
}

/**
 * Set host vars for the rest of the run (Ansible's set_fact; values rendered as Jinja, touches no host).
 * @example
 * setFact({ release: '{{ ansible_distribution_release }}' })
 */
export const setFact = varsModule({
  name: 'set_fact',
  description: 'Set host vars for the rest of the run',
  schema: setFactSchema,
  evaluate: (a, vars): Vars => {
    const rendered = removeOmit(Object.fromEntries(Object.entries(a).filter(([k]) => k !== 'cacheable').map(([k, v]) => [k, renderValue(v, vars, `set_fact ${k}`)]))) as Vars;
    return Object.fromEntries(Object.entries(rendered).map(([k, v]) => [k, coerce(v)]));
  },
  plan: (_a, facts: Vars) => noChange(`set ${Object.keys(facts).join(', ')}`, { ansible_facts: facts }),
});

/** {@link setFact} under Ansible's module name: the same factory. */
export const set_fact = setFact;

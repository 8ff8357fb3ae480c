import { noChange, type Vars } from '@shipshape/core';
import { z } from 'zod';
import { evaluateVar, renderMessage, varsModule } from '../internal/expressions.js';

export const debugSchema = z
  .object({
    /** The message to show (any value; strings are rendered as Jinja). */
    msg: z.unknown().optional().describe('The message to show (any value; strings are rendered as Jinja).'),
    /** A var name or expression whose value to show. Not together with `msg`. */
    var: z.string().min(1).optional().describe('A var name or expression whose value to show. Not together with `msg`.'),
    /** Accepted for Ansible compatibility: shipshape shows debug output at every verbosity. */
    verbosity: z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/).transform(Number)]).default(0).describe('Accepted for Ansible compatibility: shipshape shows debug output at every verbosity.'),
  })
  .strict()
  .refine((a) => a.msg === undefined || a.var === undefined, { message: "'msg' and 'var' are incompatible options", path: ['var'] });

export type DebugArgs = z.output<typeof debugSchema>;

/**
 * Show a message or a var's value, as Ansible's debug does (runs in check mode too; touches no host).
 * @example
 * debug({ var: 'ansible_distribution' })
 */
export const debug = varsModule({
  name: 'debug',
  description: 'Show a message or the value of a var',
  schema: debugSchema,
  evaluate: (a, vars): Vars => {
    if (a.var === undefined) return { msg: renderMessage(a.msg, vars, 'debug msg', 'Hello world!') };
    const r = evaluateVar(a.var, vars, 'debug var');
    if (!r.defined) return { [a.var]: 'VARIABLE IS NOT DEFINED!' };
    return { [a.var]: r.value };
  },
  plan: (_a, shown) => ({ ...noChange(typeof shown.msg === 'string' ? shown.msg : JSON.stringify(Object.values(shown)[0]) ?? 'null', shown), show: shown }),
});


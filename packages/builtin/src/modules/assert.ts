import { failure, noChange, type Vars } from '@shipshape/core';
import { z } from 'zod';
import { withAliases } from '../edit/file-module.js';
import { evaluateCondition, renderMessage, varsModule } from '../internal/expressions.js';
import { boolSchema } from '../internal/schemas.js';

const condition = z.union([z.string().min(1), z.boolean()]);

export const assertSchema = withAliases(z
  .object({
    /** Conditions that must all hold: Jinja expressions (as in `when`) or booleans computed in TypeScript. */
    that: z.union([condition, z.array(condition).min(1)]).transform((t) => (Array.isArray(t) ? t : [t])).describe('Conditions that must all hold: Jinja expressions (as in `when`) or booleans computed in TypeScript.'),
    /** The failure message. */
    fail_msg: z.unknown().optional().describe('The failure message.'),
    /** The message when all hold. */
    success_msg: z.unknown().optional().describe('The message when all hold.'),
    /** Keep the success output short (accepted; shipshape's output is short already). */
    quiet: boolSchema.default(false).describe('Keep the success output short (accepted; shipshape\'s output is short already).'),
  })
  .strict(), { msg: 'fail_msg' });

export type AssertArgs = z.output<typeof assertSchema>;

/** The first condition that does not hold, or none. */
interface AssertFacts {
  readonly failedAssertion?: string | boolean;
  readonly failMsg: unknown;
  readonly successMsg: unknown;
}

/**
 * Fail unless every condition holds, as Ansible's assert does (check mode too; touches no host).
 * @example
 * assert({ that: ['ansible_distribution_major_version | int >= 12'], fail_msg: 'needs Debian 12' })
 */
export const assert = varsModule({
  name: 'assert',
  description: 'Fail unless every condition holds',
  schema: assertSchema,
  evaluate: (a, vars): AssertFacts => ({
    failedAssertion: a.that.find((c) => (typeof c === 'boolean' ? !c : !evaluateCondition(c, vars, 'assert that'))),
    failMsg: renderMessage(a.fail_msg, vars, 'assert fail_msg', 'Assertion failed'),
    successMsg: renderMessage(a.success_msg, vars, 'assert success_msg', 'All assertions passed'),
  }),
  plan: (_a, f: AssertFacts) => {
    if (f.failedAssertion === undefined) return noChange(String(f.successMsg), { msg: f.successMsg } as Vars);
    return failure(String(f.failMsg), { assertion: f.failedAssertion, evaluated_to: false, msg: f.failMsg } as Vars);
  },
});

export const failSchema = z.object({
  /** The failure message ({{ }} rendered). @default 'Failed as requested from task' */
  msg: z.unknown().optional().describe('The failure message ({{ }} rendered); default "Failed as requested from task".'),
}).strict();

/**
 * Fail the task with a message, as Ansible's fail does (pair it with `when`).
 * @example
 * fail({ msg: 'unsupported platform' }, { when: (c) => c.vars.ansible_system !== 'Linux' })
 */
export const fail = varsModule({
  name: 'fail',
  description: 'Fail with a message',
  schema: failSchema,
  evaluate: (a, vars): unknown => renderMessage(a.msg, vars, 'fail msg', 'Failed as requested from task'),
  plan: (_a, msg: unknown) => failure(String(msg), { msg } as Vars),
});

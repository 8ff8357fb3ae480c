/** zod pieces shared by several module schemas. */
import { z } from 'zod';
import { validateMode } from './mode.js';

/** A file mode: octal string ('0644'), number (0o644) or symbolic ('u+x,g-w'). */
export const modeSchema = z
  .union([z.string(), z.number()])
  .superRefine((v, ctx) => {
    try {
      validateMode(v);
    } catch (e) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: (e as Error).message });
    }
  })
  .describe("Octal ('0644', 0o644) or symbolic ('u=rw,go=r') mode");

/** copy/template's mode: a mode, or 'preserve' (the controller source file's mode). */
export const preservableModeSchema = z
  .union([z.string(), z.number()])
  .superRefine((v, ctx) => {
    if (v === 'preserve') return;
    try {
      validateMode(v);
    } catch (e) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: (e as Error).message });
    }
  })
  .describe("Octal, symbolic, or 'preserve' (the source file's mode)");

/** Owner or group: a name or a numeric id. */
export const idSchema = z.union([z.string().min(1), z.number().int().nonnegative()]).transform(String).describe('A name or a numeric id');


/** Ansible-style booleans from YAML/CLI input: yes/no/true/false/1/0 as well as booleans. */
export const boolSchema = z.union([
  z.boolean(),
  z.enum(['yes', 'no', 'true', 'false', 'True', 'False', 'on', 'off', '1', '0']).transform((v) => ['yes', 'true', 'True', 'on', '1'].includes(v)),
]);

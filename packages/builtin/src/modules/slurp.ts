import { defineModule, noChange, ModuleError, type Plan } from '@shipshape/core';
import { z } from 'zod';
import { withAliases } from '../edit/file-module.js';

export const slurpSchema = withAliases(
  z.object({
    /** Remote file to read. */
    src: z.string().min(1).describe('Remote file to read.'),
  }).strict(),
  { path: 'src' },
);

export interface SlurpFacts {
  readonly exists: boolean;
  readonly base64?: string;
}

export function planSlurp(a: z.output<typeof slurpSchema>, f: SlurpFacts): Plan {
  if (!f.exists) throw new ModuleError(`file not found: ${a.src}`);
  return noChange(`read ${a.src}`, { content: f.base64, encoding: 'base64', source: a.src });
}

/**
 * Read a remote file; the result's `data.content` is its base64 text, as in Ansible.
 * @example
 * slurp({ src: '/etc/hostname' }, { register: 'hostname_file' })
 */
export const slurp = defineModule({
  name: 'slurp',
  description: 'Read a remote file as base64',
  schema: slurpSchema,
  async gather(host, a): Promise<SlurpFacts> {
    const s = await host.readFile(a.src);
    return s.exists ? { exists: true, base64: (s.content ?? Buffer.alloc(0)).toString('base64') } : { exists: false };
  },
  plan: planSlurp,
});

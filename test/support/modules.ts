import { z } from 'zod';
import { changes, defineModule, noChange } from '@shipshape/core';
import { readFileCommand } from '@shipshape/core/module-kit';

/** A tiny file module for core tests (builtin's modules are tested in their own package). */
export const putFile = defineModule({
  name: 'test_put_file',
  description: 'write content to a path',
  schema: z.object({ path: z.string(), content: z.string() }),
  gather: (h, a) => h.readFile(a.path),
  prefetch: (a) => [readFileCommand(a.path)],
  plan: (a, f) => {
    const before = f.content?.toString('utf8') ?? '';
    if (f.exists && before === a.content) return noChange(`${a.path} is up to date`);
    return changes(`${a.path} written`, [{ kind: 'write', path: a.path, content: a.content }], { diff: [{ path: a.path, before, after: a.content }] });
  },
});

// docs/examples/env-file/env-file.ts
// The worked example of docs/write-a-module.md: a module that keeps KEY=value lines of an environment
// file (/etc/default/<app>, a systemd EnvironmentFile). test/docs/write-a-module.test.ts runs it: its
// fixtures, and twice against a lab host over SSH (the second run must change nothing).
import { changes, defineModule, failure, noChange, z, type FileState, type Plan } from '@shipshape/core';
import { readFileCommand } from '@shipshape/core/module-kit';

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

// 1. The schema: the arguments' TypeScript type, their runtime check, defaults and documentation.
// TSDoc shows in editors (hover on the factory's argument); .describe() shows in `shipshape doc`.
export const envFileSchema = z
  .object({
    /** The file, e.g. /etc/default/myapp. */
    path: z.string().startsWith('/').describe('The file, e.g. /etc/default/myapp.'),
    /** Variables that must have these values (added at the end when missing). */
    set: z.record(z.string().regex(NAME, 'expected a variable name'), z.string()).default({})
      .describe('Variables that must have these values (added at the end when missing).'),
    /** Variables that must not be set (their lines are removed). */
    unset: z.array(z.string().regex(NAME, 'expected a variable name')).default([])
      .describe('Variables that must not be set (their lines are removed).'),
    /** Create the file when it is missing. @default true */
    create: z.boolean().default(true).describe('Create the file when it is missing.'),
  })
  .strict();

export type EnvFileArgs = z.output<typeof envFileSchema>;

/** `KEY=value`, the value double-quoted when the shell would split or expand it. */
export function renderAssignment(name: string, value: string): string {
  return /^[A-Za-z0-9_./:@%+,-]*$/.test(value) ? `${name}=${value}` : `${name}="${value.replace(/(["\\$`])/g, '\\$1')}"`;
}

/** 2. The pure part: the file's new text. Comments, blank lines and other variables stay as they are. */
export function editEnvFile(text: string, a: EnvFileArgs): string {
  const lines = text === '' ? [] : text.replace(/\n$/, '').split('\n');
  const placed = new Set<string>();
  const out: string[] = [];
  for (const line of lines) {
    const m = /^(\s*(?:export\s+)?)([A-Za-z_][A-Za-z0-9_]*)=/.exec(line);
    const name = m?.[2];
    if (name === undefined) out.push(line);
    else if (a.unset.includes(name)) continue;
    else if (name in a.set) {
      // The first line of a variable gets the value (keeping an `export`), later duplicates go.
      if (!placed.has(name)) out.push(`${m![1]}${renderAssignment(name, a.set[name]!)}`);
      placed.add(name);
    } else out.push(line);
  }
  for (const [name, value] of Object.entries(a.set)) if (!placed.has(name)) out.push(renderAssignment(name, value));
  return out.length ? `${out.join('\n')}\n` : '';
}

/** 3. The plan: pure, from the arguments and the facts; the changes to make, or why none is needed. */
export function planEnvFile(a: EnvFileArgs, file: FileState): Plan {
  if (file.exists && file.type !== 'file') return failure(`${a.path} is a ${file.type}, not a file`);
  if (!file.exists && !a.create) return noChange(`${a.path} does not exist (create: false)`);
  const before = file.exists ? file.content!.toString('utf8') : '';
  const after = editEnvFile(before, a);
  if (file.exists && after === before) return noChange(`${a.path}: every variable as wanted`);
  return changes(file.exists ? `${a.path} updated` : `${a.path} created`, [{ kind: 'write', path: a.path, content: after }], {
    diff: [{ path: a.path, before, after }],
  });
}

/**
 * Set or remove `KEY=value` lines of an environment file, keeping its comments and other lines.
 * @example
 * envFile({ path: '/etc/default/myapp', set: { PORT: '8080', GREETING: 'hello world' }, unset: ['DEBUG'] })
 */
export const envFile = defineModule({
  name: 'envFile',
  description: 'Set or remove KEY=value lines of an environment file',
  schema: envFileSchema,
  // 4. The facts: what gather reads. Declaring the same read as prefetch lets the runner fetch it for
  // all upcoming tasks in one round trip; gather is then served from that read.
  prefetch: (a) => [readFileCommand(a.path)],
  gather: (host, a) => host.readFile(a.path),
  plan: planEnvFile,
});

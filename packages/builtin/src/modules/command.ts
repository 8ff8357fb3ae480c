import { cmd, pathArg, sh, changes, withEnvAndCwd, defineModule, noChange, ArgumentError, type Command, type ExecResult, type Host, type Plan, type TaskResult } from '@shipshape/core';
import { shlexSplit } from '@shipshape/core/module-kit';
import { z } from 'zod';
import { withAliases } from '../edit/file-module.js';
import { boolSchema } from '../internal/schemas.js';

const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'environment variable names are letters, digits and _');

const common = {
  /** Skip (no change) when this path or glob exists on the host. */
  creates: z.string().min(1).optional().describe('Skip (no change) when this path or glob exists on the host.'),
  /** Skip (no change) unless this path or glob exists on the host. */
  removes: z.string().min(1).optional().describe('Skip (no change) unless this path or glob exists on the host.'),
  /** Directory to run in. */
  chdir: z.string().min(1).optional().describe('Directory to run in.'),
  /** Text fed to the command's standard input. */
  stdin: z.string().optional().describe('Text fed to the command\'s standard input.'),
  /** Add a newline after stdin. */
  stdin_add_newline: boolSchema.default(true).describe('Add a newline after stdin.'),
  /** Environment for the command (exported, every value quoted). */
  env: z.record(envName, z.union([z.string(), z.number(), z.boolean()]).transform(String)).default({}).describe('Environment for the command (exported, every value quoted).'),
};

export const commandSchema = withAliases(z
  .object({
    /** The command line, split into words like a shell would (but never run by one). */
    cmd: z.string().min(1).optional().describe('The command line, split into words like a shell would (but never run by one).'),
    /** The argv, each element passed as one word. */
    argv: z.array(z.string()).min(1).optional().describe('The argv, each element passed as one word.'),
    ...common,
  })
  .strict()
  .refine((a) => (a.cmd === undefined) !== (a.argv === undefined), { message: 'give exactly one of cmd and argv', path: ['cmd'] }),
  { _raw_params: 'cmd' });

export const shellSchema = withAliases(z
  .object({
    /** Shell text, run by `executable -c` on purpose: pipes, redirections, globbing. */
    cmd: z.string().min(1).describe('Shell text, run by `executable -c` on purpose: pipes, redirections, globbing.'),
    /** The shell that runs the text. @default '/bin/sh' */
    executable: z.string().min(1).default('/bin/sh').describe('The shell that runs the text.'),
    ...common,
  })
  .strict(), { _raw_params: 'cmd' });

export type CommandArgs = z.output<typeof commandSchema>;
export type ShellArgs = z.output<typeof shellSchema>;
type Common = Pick<CommandArgs, 'creates' | 'removes' | 'chdir' | 'stdin' | 'stdin_add_newline' | 'env'>;

/** Facts: whether creates/removes match anything (globs expanded by the host's shell, never executed). */
export interface CommandFacts {
  readonly createsExists?: boolean;
  readonly removesExists?: boolean;
}

/** `IFS=` turns off word splitting, so the unquoted expansion only globs; no command substitution happens. */
function globExists(pattern: string): Command {
  return sh`( p=${pattern}; IFS=; set -- $p; [ -e "$1" ] || [ -L "$1" ] ) && echo 1 || echo 0`;
}

async function gatherCommand(host: Host, a: Common): Promise<CommandFacts> {
  const parts: Command[] = [];
  if (a.creates) parts.push(globExists(a.creates));
  if (a.removes) parts.push(globExists(a.removes));
  if (!parts.length) return {};
  // relative creates/removes paths are relative to chdir, as in Ansible
  const cd = a.chdir ? sh`cd ${pathArg(a.chdir)} 2>/dev/null; ` : sh``;
  const text = cd.text + parts.map((c) => c.text).join('; ');
  const r = await host.run({ text, display: cd.display + parts.map((c) => c.display).join('; ') });
  const [first, second] = r.stdout.split('\n');
  return {
    ...(a.creates ? { createsExists: first === '1' } : {}),
    ...(a.removes ? { removesExists: (a.creates ? second : first) === '1' } : {}),
  };
}

/**
 * The task's result from the command's, as Ansible's command modules report it: `rc`, `stdout` and
 * `stderr` (the last newline dropped unless `keepNewline`: raw keeps the output as the host printed it),
 * failed with "non-zero return code" on a non-zero exit.
 */
function commandOutcome(keepNewline: boolean) {
  return (r: ExecResult): Partial<TaskResult> => {
    const failed = r.code !== 0;
    return {
      status: failed ? 'failed' : 'changed',
      changed: true,
      rc: r.code,
      stdout: keepNewline ? r.stdout : r.stdout.replace(/\n$/, ''),
      stderr: keepNewline ? r.stderr : r.stderr.replace(/\n$/, ''),
      msg: failed ? 'non-zero return code' : '',
    };
  };
}

function planRun(a: Common, f: CommandFacts, program: Command): Plan {
  if (a.creates && f.createsExists) return noChange(`Did not run command since '${a.creates}' exists`, { rc: 0, skipped: true });
  if (a.removes && f.removesExists === false) return noChange(`Did not run command since '${a.removes}' does not exist`, { rc: 0, skipped: true });
  const stdin = a.stdin === undefined ? undefined : a.stdin_add_newline ? `${a.stdin}\n` : a.stdin;
  // cd, then the exports, then the program: as every connection renders env and cwd.
  const command = withEnvAndCwd(program, { env: a.env, cwd: a.chdir });
  return changes(command.display, [{ kind: 'exec', command, outcome: commandOutcome(false), ...(stdin !== undefined ? { stdin } : {}) }]);
}

/** The argv of a command module call. */
export function commandArgv(a: CommandArgs): string[] {
  if (a.argv) return a.argv;
  try {
    return shlexSplit(a.cmd!);
  } catch (e) {
    throw new ArgumentError(`cmd: ${(e as Error).message}`, 'cmd', a.cmd, { cause: e });
  }
}

/**
 * Run a program without a shell: each word is quoted, so `;`, `$()` and globs are literal.
 * Always `changed` unless creates/removes skip it; not run in check mode.
 * @example
 * command({ argv: ['/usr/sbin/update-ca-certificates'], creates: '/etc/ssl/certs/ca-certificates.crt' })
 */
export const command = defineModule({
  name: 'command',
  description: 'Run a program without a shell',
  schema: commandSchema,
  supportsCheck: false,
  gather: gatherCommand,
  plan: (a, f: CommandFacts) => planRun(a, f, cmd(...commandArgv(a))),
});

/**
 * Run shell text through `/bin/sh -c` (or `executable`), like Ansible's shell module. This is the
 * one module that runs user text as shell code, on purpose: pass values through `env` instead of
 * pasting them into `cmd`.
 * @example
 * shell({ cmd: 'dmesg | tail -n 50 > "$OUT"', env: { OUT: '/tmp/dmesg.txt' } })
 */
export const shell = defineModule({
  name: 'shell',
  description: 'Run shell text',
  schema: shellSchema,
  supportsCheck: false,
  gather: gatherCommand,
  plan: (a, f: CommandFacts) => planRun(a, f, cmd(a.executable, '-c', a.cmd)),
});

export const rawSchema = withAliases(z
  .object({
    /** Shell text, sent as it is to the login shell (or `executable -c`): no quoting, no module, nothing else. */
    cmd: z.string().min(1).describe('Shell text, sent as it is to the login shell (or `executable -c`): no quoting, no module, nothing else.'),
    /** Run the text with this shell instead of the login shell. */
    executable: z.string().min(1).optional().describe('Run the text with this shell instead of the login shell.'),
  })
  .strict(), { _raw_params: 'cmd' });

export type RawArgs = z.output<typeof rawSchema>;

/**
 * Send shell text to the host as it is, as Ansible's raw does (for hosts where nothing else works);
 * output is kept exactly as printed. Always `changed`; not run in check mode.
 * @example
 * raw_({ cmd: 'esxcli system version get' })
 */
export const raw_ = defineModule({
  name: 'raw',
  description: 'Send shell text as it is',
  schema: rawSchema,
  supportsCheck: false,
  gather: async () => ({}),
  plan: (a): Plan => {
    const command: Command = a.executable ? cmd(a.executable, '-c', a.cmd) : { text: a.cmd, display: a.cmd };
    return changes(command.display, [{ kind: 'exec', command, outcome: commandOutcome(true) }]);
  },
});

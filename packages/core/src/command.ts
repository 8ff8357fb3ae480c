/**
 * Commands are values: the shell text to run and a display form with secrets masked.
 * Every interpolated value is quoted for POSIX sh; nothing a user passes becomes shell syntax.
 */

import { MASK, Secret } from './secrets.js';

export { Secret, secret } from './secrets.js';

/** Trusted shell text written by module authors (pipes, redirections). Never wrap user input. */
export class RawShell {
  constructor(readonly text: string) {}
}

/** Insert literal shell syntax into a command template. */
export function raw(text: string): RawShell {
  return new RawShell(text);
}

/** A rendered command. */
export interface Command {
  /** Shell text, secrets included: only ever sent to the host. */
  readonly text: string;
  /** The same with secrets masked: for logs, errors and reporters. */
  readonly display: string;
  /**
   * For read-only commands that only look at paths: what they read and how to print their output from
   * that. Prefetch then folds many such commands into a few processes on the host.
   */
  readonly probe?: Probe;
  /**
   * The command starts nothing that outlives it (stat, cat, mv, printf; not a service, a daemon or a
   * user's command): its output may go straight to the connection's shell. Without it, the output is
   * captured apart, so a background job it leaves cannot write into what runs next.
   */
  readonly contained?: boolean;
}

export type ChecksumAlgorithm = 'sha1' | 'sha256' | 'md5';

/** One path a probe looks at: lstat (default) or stat -L (`follow`), optionally its bytes and a checksum. */
export interface ProbeRequest {
  readonly path: string;
  readonly follow?: boolean;
  /** The bytes of a readable regular file (implies `follow`). */
  readonly content?: boolean;
  readonly checksum?: ChecksumAlgorithm;
}

/** What a probe saw of one path. Flags are the shell's tests (`-e`, `-d`, `-f`, `-r`, which follow links). */
export interface ProbedPath {
  /** The path itself, links not followed. */
  readonly type: 'file' | 'directory' | 'link' | 'other' | 'missing';
  readonly exists: boolean;
  readonly isDir: boolean;
  readonly isFile: boolean;
  readonly readable: boolean;
  /** stat's `%a|%u|%g|%U|%G|%s|%i|%d|%h|%Y` of the path itself, when asked for and present. */
  readonly lstat?: string;
  /** The same with links followed, when asked for and the path exists. */
  readonly stat?: string;
  readonly content?: Buffer;
  readonly checksums: Readonly<Partial<Record<ChecksumAlgorithm, string>>>;
  readonly target?: string;
}

export interface Probe {
  readonly requests: readonly ProbeRequest[];
  /**
   * The command's exact stdout, from the probed paths (in request order) and the shell's umask; undefined
   * when the probe cannot stand in for the command (it then runs live).
   */
  render(paths: readonly ProbedPath[], umask: string): Buffer | undefined;
}

export type Arg = string | number | bigint | boolean | Secret | RawShell | Command | readonly Arg[];

const SAFE = /^[A-Za-z0-9_\-+=.,/:@%^]+$/;

/** Quote one argument for POSIX sh (busybox ash included). */
export function quote(arg: string): string {
  if (arg !== '' && SAFE.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

function isCommand(v: unknown): v is Command {
  return typeof v === 'object' && v !== null && 'text' in v && 'display' in v && !(v instanceof RawShell);
}

function render(v: Arg): { text: string; display: string } {
  if (v instanceof Secret) return { text: quote(v.value), display: MASK };
  if (v instanceof RawShell) return { text: v.text, display: v.text };
  if (isCommand(v)) return { text: v.text, display: v.display };
  if (Array.isArray(v)) {
    const parts = (v as readonly Arg[]).map(render);
    return { text: parts.map((p) => p.text).join(' '), display: parts.map((p) => p.display).join(' ') };
  }
  const s = String(v);
  return { text: quote(s), display: quote(s) };
}

/**
 * Tagged template: literal parts are shell text, every `${value}` is quoted.
 * @example sh`mkdir -p ${dir} && chmod ${mode} ${dir}`
 */
export function sh(strings: TemplateStringsArray, ...values: Arg[]): Command {
  let text = strings[0] ?? '';
  let display = text;
  values.forEach((v, i) => {
    const r = render(v);
    text += r.text + strings[i + 1];
    display += r.display + strings[i + 1];
  });
  return { text, display };
}

/** A command from an argv list, every element quoted. */
export function cmd(...argv: Arg[]): Command {
  return render(argv) as Command;
}

/**
 * A path as a command argument: a relative path starting with `-` gets `./` in front, so no tool reads
 * it as an option (`--` is not enough: GNU stat and cat read a lone `-` as stdin even after it).
 */
export function pathArg(path: string): string {
  return path.startsWith('-') ? `./${path}` : path;
}

/** Join commands with a shell operator (`&&`, `;`, `||`, `|`). */
export function joinCommands(op: '&&' | ';' | '||' | '|', ...commands: Command[]): Command {
  return {
    text: commands.map((c) => c.text).join(` ${op} `),
    display: commands.map((c) => c.display).join(` ${op} `),
  };
}

/** A command from trusted, module-authored shell text (no user input inside). */
export function script(text: string): Command {
  return { text, display: text };
}

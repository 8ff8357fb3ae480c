/**
 * ~/.ssh/config through the maintained `ssh-config` parser: Host/Match sections computed for
 * the destination (first value wins, as OpenSSH), with the %-tokens and `~` OpenSSH expands.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { basename, dirname, isAbsolute, join } from 'node:path';
import type SSHConfig from 'ssh-config';
import { InventoryError } from '@shipshape/core';
import { globToRegExp } from './patterns.js';
import { InventoryValueError } from './errors.js';

export interface SshConfigEntry {
  readonly hostName?: string;
  readonly user?: string;
  readonly port?: number;
  readonly identityFile?: string;
  readonly proxyJump?: string;
  readonly strictHostKeyChecking?: string;
  readonly userKnownHostsFile?: string;
  readonly connectTimeout?: number;
}

export class SshConfigFile {
  private constructor(private readonly config: ReturnType<typeof SSHConfig.parse> | undefined, readonly path?: string) {}

  /**
   * Read `path` (default ~/.ssh/config); a missing default file means no config. The parser
   * loads only when there is a file to parse (start-up time).
   */
  static async load(path: string | false | undefined): Promise<SshConfigFile> {
    if (path === false) return new SshConfigFile(undefined);
    const file = expandHome(path ?? '~/.ssh/config');
    if (path === undefined && !existsSync(file)) return new SshConfigFile(undefined);
    let text: string;
    try {
      text = withIncludes(file, dirname(file), 0);
    } catch (e) {
      throw new InventoryError(`cannot read ssh config: ${(e as Error).message}`, file, undefined, { cause: e });
    }
    const { default: parser } = await import('ssh-config');
    try {
      return new SshConfigFile(parser.parse(text), file);
    } catch (e) {
      throw new InventoryError(`cannot parse ssh config: ${(e as Error).message}`, file, undefined, { cause: e });
    }
  }

  /** Settings for a destination as typed on the ssh command line. */
  compute(alias: string): SshConfigEntry {
    if (!this.config) return {};
    const c = this.config.compute(alias, { ignoreCase: true, matchExec: false } as never) as Record<string, unknown>;
    const one = (k: string): string | undefined => {
      const v = c[k];
      const s = Array.isArray(v) ? v[0] : v;
      return typeof s === 'string' ? s : undefined;
    };
    const user = one('user');
    const hostName = one('hostname');
    const tokens = (s: string): string => expandTokens(s, { h: hostName ? expandTokens(hostName, { h: alias }) : alias, r: user, n: alias });
    const num = (s: string | undefined): number | undefined => (s === undefined ? undefined : Number.parseInt(s, 10));
    return {
      hostName: hostName && expandTokens(hostName, { h: alias, n: alias }),
      user,
      port: num(one('port')),
      identityFile: one('identityfile') && tokens(one('identityfile')!),
      proxyJump: one('proxyjump'),
      strictHostKeyChecking: one('stricthostkeychecking')?.toLowerCase(),
      userKnownHostsFile: one('userknownhostsfile') && tokens(one('userknownhostsfile')!.split(/\s+/)[0]!),
      connectTimeout: num(one('connecttimeout')),
    };
  }
}

/**
 * The config text with `Include` lines replaced by the files they name (globs allowed; relative
 * paths from the config's directory, ~/.ssh for the user config), as OpenSSH reads them in place.
 */
function withIncludes(file: string, base: string, depth: number): string {
  if (depth > 16) throw new InventoryValueError(`Include nested too deeply at ${file}`);
  const lines = readFileSync(file, 'utf8').split('\n');
  return lines
    .map((line) => {
      const m = /^\s*include\s*(?:=\s*)?(.+)$/i.exec(line);
      if (!m) return line;
      const parts: string[] = [];
      for (const arg of m[1]!.trim().split(/\s+/)) {
        const p = expandHome(arg.replace(/^"(.*)"$/, '$1'));
        for (const f of expandGlob(isAbsolute(p) ? p : join(base, p))) parts.push(withIncludes(f, base, depth + 1));
      }
      return parts.join('\n');
    })
    .join('\n');
}

function expandGlob(path: string): string[] {
  const name = basename(path);
  if (!/[*?[]/.test(name)) return existsSync(path) ? [path] : [];
  const dir = dirname(path);
  if (!existsSync(dir)) return [];
  const re = globToRegExp(name);
  return readdirSync(dir).filter((f) => re.test(f)).sort().map((f) => join(dir, f));
}

function expandHome(p: string): string {
  return p === '~' ? homedir() : p.startsWith('~/') ? homedir() + p.slice(1) : p;
}

/** OpenSSH's `~` and %d %h %n %r %u %% expansion. */
export function expandTokens(s: string, t: { h?: string; r?: string; n?: string }): string {
  const home = homedir();
  const out = s.replace(/%([%dhnru])/g, (_, k: string) => {
    if (k === '%') return '%';
    if (k === 'd') return home;
    if (k === 'u') return userInfo().username;
    return (t as Record<string, string | undefined>)[k] ?? '';
  });
  return out === '~' ? home : out.startsWith('~/') ? home + out.slice(1) : out;
}

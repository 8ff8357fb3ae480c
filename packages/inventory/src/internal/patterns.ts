/**
 * Ansible host patterns: `all`, `*`, names, globs, `~regex`, `a:b` / `a,b` unions, `&b`
 * intersections and `!b` exclusions (applied in that order), `[i]` / `[i:j]` subscripts,
 * and `--limit` with `@file`. Unknown names are warnings, never errors, as in Ansible.
 */
import { readFileSync, statSync } from 'node:fs';
import { InventoryError, pyCompile, pyMatch } from '@shipshape/core';
import type { HostEntry, InventoryData } from './model.js';
import { parseAddress } from './hostrange.js';
import { InventoryValueError } from './errors.js';

export function splitHostPattern(pattern: string): string[] {
  let parts: string[];
  if (pattern.includes(',')) parts = pattern.split(',');
  else {
    try {
      parseAddress(pattern);
      parts = [pattern];
    } catch {
      parts = pattern.match(/(?:[^\s:[\]]|\[[^\]]*\])+/g) ?? [];
    }
  }
  return parts.map((p) => p.trim()).filter(Boolean);
}

function orderPatterns(patterns: readonly string[]): string[] {
  const regular = patterns.filter((p) => p && p[0] !== '!' && p[0] !== '&');
  const inter = patterns.filter((p) => p[0] === '&');
  const exclude = patterns.filter((p) => p[0] === '!');
  return [...(regular.length ? regular : ['all']), ...inter, ...exclude];
}

/** Python's fnmatch.translate, anchored. */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      let j = i + 1;
      if (glob[j] === '!') j++;
      if (glob[j] === ']') j++;
      while (j < glob.length && glob[j] !== ']') j++;
      if (j >= glob.length) re += '\\[';
      else {
        let stuff = glob.slice(i + 1, j).replace(/\\/g, '\\\\');
        if (stuff[0] === '!') stuff = '^' + stuff.slice(1);
        else if (stuff[0] === '^') stuff = '\\' + stuff;
        re += `[${stuff}]`;
        i = j;
      }
    } else re += c.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
  }
  return new RegExp(`^(?:${re})$`, 's');
}

const SUBSCRIPT = /^(.+)\[(?:(-?[0-9]+)|([0-9]+)([:-])([0-9]*))\]$/;

export class PatternMatcher {
  readonly warnings: string[] = [];
  constructor(private readonly inv: InventoryData) {}

  /**
   * Hosts matching `pattern`, restricted by `limit` (Ansible's --limit / subset). `@file` is
   * read in both, so a runner that applies a limit through select() keeps Ansible's @file.
   */
  select(pattern: string, limit?: string): HostEntry[] {
    let hosts = this.evaluate(this.withFiles(pattern));
    if (limit !== undefined) {
      const allowed = new Set(this.evaluate(this.withFiles(limit)));
      hosts = hosts.filter((h) => allowed.has(h));
    }
    return [...new Set(hosts)];
  }

  private withFiles(pattern: string): string[] {
    const out: string[] = [];
    for (const p of splitHostPattern(pattern)) {
      if (p[0] !== '@') {
        out.push(p);
        continue;
      }
      const file = p.slice(1);
      let text: string;
      try {
        if (statSync(file).isDirectory()) throw new InventoryValueError('Limit starting with "@" must be a file, not a directory');
        text = readFileSync(file, 'utf8');
      } catch (e) {
        throw new InventoryError(`Unable to read limit file: ${(e as Error).message}`, file, undefined, { cause: e });
      }
      out.push(...text.split('\n').map((l) => l.trim()));
    }
    return out;
  }

  private evaluate(patterns: readonly string[]): HostEntry[] {
    let hosts: HostEntry[] = [];
    for (const p of orderPatterns(patterns.filter(Boolean))) {
      const direct = this.inv.hosts.get(p);
      if (direct) {
        hosts.push(direct);
        continue;
      }
      const that = this.matchOne(p);
      if (p[0] === '!') {
        const s = new Set(that);
        hosts = hosts.filter((h) => !s.has(h));
      } else if (p[0] === '&') {
        const s = new Set(that);
        hosts = hosts.filter((h) => s.has(h));
      } else {
        const have = new Set(hosts);
        hosts.push(...that.filter((h) => !have.has(h)));
      }
    }
    return hosts;
  }

  private matchOne(raw: string): HostEntry[] {
    const pattern = raw[0] === '&' || raw[0] === '!' ? raw.slice(1) : raw;
    let expr = pattern;
    let sub: [number, number | undefined] | undefined;
    const m = pattern[0] === '~' ? null : SUBSCRIPT.exec(pattern);
    if (m) {
      expr = m[1]!;
      sub = m[2] !== undefined ? [Number(m[2]), undefined] : [Number(m[3]), m[5] ? Number(m[5]) : -1];
      if (m[4] === '-') this.warnings.push('Use [x:y] inclusive subscripts instead of [x-y] which has been removed');
    }
    const hosts = this.enumerate(expr);
    if (!sub || !hosts.length) return hosts;
    const [start, end] = sub;
    if (end) return hosts.slice(start, (end === -1 ? hosts.length - 1 : end) + 1);
    const one = hosts.at(start);
    if (!one) throw new InventoryError(`No hosts matched the subscripted pattern '${pattern}'`);
    return [one];
  }

  private enumerate(pattern: string): HostEntry[] {
    let test: (name: string) => boolean;
    try {
      // `~regex` is Python's re.match (anchored at the start only), with Python's syntax.
      const rx = pattern[0] === '~' ? pyCompile(pattern.slice(1), 'pattern') : undefined;
      const glob = rx ? undefined : globToRegExp(pattern);
      test = rx ? (name) => pyMatch(rx, name) !== null : (name) => glob!.test(name);
    } catch (e) {
      throw new InventoryError(`Invalid host list pattern: ${pattern}`, undefined, undefined, { cause: e });
    }
    const results: HostEntry[] = [];
    const groups = [...this.inv.groups.values()].filter((g) => test(g.name));
    for (const g of groups) results.push(...g.allHosts());
    if (!groups.length || pattern[0] === '~' || /[.?*[]/.test(pattern)) {
      for (const h of this.inv.hosts.values()) if (test(h.name)) results.push(h);
    }
    if (!results.length && !groups.length && pattern !== 'all' && !['localhost', '127.0.0.1', '::1'].includes(pattern)) {
      this.warnings.push(`Could not match supplied host pattern, ignoring: ${pattern}`);
    }
    return results;
  }
}

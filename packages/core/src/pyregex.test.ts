/** Python `re` semantics on JS RegExp; expectations checked against CPython 3.11. */
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { pyCompile, pyExpand, pyMatch, pySearch, pySubn } from './pyregex.js';

type Row = [pattern: string, subject: string, match: string | null, note?: string];
/** fixtures/pyregex.json: what search() matches (null: nothing) for bytes and for str patterns; pyExpand's expansions. */
const CASES = JSON.parse(readFileSync(new URL('./fixtures/pyregex.json', import.meta.url), 'utf8')) as {
  bytes: Row[];
  str: Row[];
  expand: [template: string, expanded: string, note?: string][];
};

const search = (p: string, s: string): string | null => pySearch(pyCompile(p, 'regexp'), s)?.[0] ?? null;

describe('pyCompile', () => {
  it.each(CASES.bytes)('%j on %j', (p, s, want) => {
    expect(search(p, s)).toBe(want);
  });

  it('rejects what JS cannot express, naming the field', () => {
    expect(() => pyCompile('(?>a)', 'regexp')).toThrow(/regexp: unsupported Python regular expression/);
    expect(() => pyCompile('a++', 'regexp')).toThrow(/possessive/);
    expect(() => pyCompile('(?(1)a|b)', 'regexp')).toThrow(/unsupported/);
    expect(() => pyCompile('(', 'insertafter')).toThrow(/insertafter: invalid regular expression/);
  });

  it('match() is anchored', () => {
    expect(pyMatch(pyCompile('b', 'r'), 'ab')).toBeNull();
    expect(pyMatch(pyCompile('a', 'r'), 'ab')?.[0]).toBe('a');
  });
});

describe('pyExpand / pySubn', () => {
  const m = pySearch(pyCompile('(?P<a>x)(y)?(z)?', 'r'), 'xz')!;
  it.each(CASES.expand)('%j', (t, want) => expect(pyExpand(t, m)).toBe(want));

  it('fails like Python on bad references', () => {
    expect(() => pyExpand('\\4', m)).toThrow('invalid group reference 4');
    expect(() => pyExpand('\\g<nope>', m)).toThrow("unknown group name 'nope'");
    expect(() => pyExpand('\\q', m)).toThrow('bad escape \\q');
  });

  it('substitutes empty matches like re.subn', () => {
    expect(pySubn(pyCompile('x*', 'r'), '-', 'abxd')).toEqual(['-a-b--d-', 5]);
    expect(pySubn(pyCompile('(?m)^', 'r'), '# ', 'a\nb\n')).toEqual(['# a\n# b\n# ', 3]);
  });
});

describe('str patterns (u): Unicode classes like Python 3 str', () => {
  const usearch = (p: string, s: string): string | null => pySearch(pyCompile(p, 'regexp', { u: true }), s)?.[0] ?? null;
  it.each(CASES.str)('%j on %j', (p, s, want) => expect(usearch(p, s)).toBe(want));
});

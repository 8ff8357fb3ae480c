/** Python `re` semantics on JS RegExp; expectations checked against CPython 3.11. */
import { describe, expect, it } from '@jest/globals';
import { pyCompile, pyExpand, pyMatch, pySearch, pySubn } from './pyregex.js';

const search = (p: string, s: string): string | null => pySearch(pyCompile(p, 'regexp'), s)?.[0] ?? null;

describe('pyCompile', () => {
  it.each([
    ['foo$', 'foo\n', 'foo'], // $ matches before a final newline
    ['foo$', 'foo\r\n', null],
    ['foo$', 'foo\nbar', null],
    ['foo\\Z', 'foo\n', null],
    ['\\Afoo', 'x\nfoo', null],
    ['^b', 'a\nb', null],
    ['(?m)^b$', 'a\nb\nc', 'b'],
    ['(?s)a.b', 'a\nb', 'a\nb'],
    ['a.b', 'a\nb', null],
    ['a.b', 'a\rb', 'a\rb'], // Python's . matches \r (JS's does not)
    ['(?i)ABC', 'xabc', 'abc'],
    ['[]a]+', 'x]a]', ']a]'],
    ['[^]a]+', ']]bc', 'bc'],
    ['a{,2}b', 'aaab', 'aab'],
    ['(?P<k>\\w+)=(?P=k)', 'x=y a=a', 'a=a'],
    ['(?x) a b # comment', 'ab', 'ab'],
    ['a(?#note)b', 'ab', 'ab'],
    ['\\s+', 'a\u00a0 \tb', ' \t'], // \s is ASCII whitespace on bytes
  ])('%j on %j', (p, s, want) => {
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
  it.each([
    ['\\1-\\g<1>-\\g<a>', 'x-x-x'],
    ['\\2|\\3', '|z'], // unmatched group expands to ''
    ['\\g<1>0', 'x0'],
    ['\\n\\t\\\\', '\n\t\\'],
    ['\\.', '\\.'],
    ['\\0', '\0'],
    ['\\101', 'A'], // octal escape
  ])('%j', (t, want) => expect(pyExpand(t, m)).toBe(want));

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
  it.each([
    ['\\w+', 'café au lait', 'café'],
    ['\\bé\\w*', 'x éa', 'éa'],
    ['\\d+', 'n°٣4', '٣4'],
    ['a\\-b\\#c\\ d', 'a-b#c d', 'a-b#c d'],
    ['x{y}', 'x{y}', 'x{y}'],
    ['a]', 'a]', 'a]'],
    ['\\101\\0', 'A\0', 'A\0'],
    ['(?a)\\w+', 'café', 'caf'],
    ['[\\w-]+', 'é-x!', 'é-x'],
  ])('%j on %j', (p, s, want) => expect(usearch(p, s)).toBe(want));
});

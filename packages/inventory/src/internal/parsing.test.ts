// Pure parsers checked against outputs captured once from ansible-core 2.14 / Python
// (fixtures/*.json: INI value literals, shlex splitting, host ranges).
import { describe, it, expect } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseIniValue } from './pyliteral.js';
import { shlexSplit } from './shlex.js';
import { expandHostPattern } from './hostrange.js';
import { globToRegExp, splitHostPattern } from './patterns.js';
import { parseYaml } from './yamlload.js';

const fixture = <T>(name: string): T =>
  JSON.parse(readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'fixtures', name), 'utf8')) as T;

describe('INI values read like ast.literal_eval (Ansible _parse_value)', () => {
  it.each(fixture<[string, unknown][]>('pyliteral.json'))('%j', (input, expected) => {
    expect(parseIniValue(input)).toEqual(expected);
  });
});

describe('host lines split like shlex.split(comments=True)', () => {
  it.each(fixture<[string, string[]][]>('shlex.json'))('%j', (line, expected) => {
    expect(shlexSplit(line)).toEqual(expected);
  });
  it('rejects an unclosed quote', () => {
    expect(() => shlexSplit('h x="open')).toThrow('No closing quotation');
  });
});

interface RangeCase {
  pattern: string;
  hosts?: string[];
  port?: number | null;
  error?: string;
}

describe('host patterns expand like parse_address + expand_hostname_range', () => {
  it.each(fixture<RangeCase[]>('hostrange.json'))('$pattern', (c) => {
    if (c.error) {
      expect(() => expandHostPattern(c.pattern)).toThrow(c.error);
      return;
    }
    expect(expandHostPattern(c.pattern)).toEqual({ hosts: c.hosts, port: c.port ?? undefined });
  });
});

describe('host pattern splitting and globs', () => {
  it.each([
    ['web:db', ['web', 'db']],
    ['web,db', ['web', 'db']],
    ['web:&db:!web1', ['web', '&db', '!web1']],
    ['web[1:3]', ['web[1:3]']],
    ['host:2222', ['host:2222']],
    ['fe80::1', ['fe80::1']],
    [' a , b ,', ['a', 'b']],
    ['~web\\d+:db', ['~web\\d+', 'db']],
  ])('%s', (pattern, parts) => {
    expect(splitHostPattern(pattern)).toEqual(parts);
  });

  it('translates globs like fnmatch', () => {
    expect(globToRegExp('web*').test('web01')).toBe(true);
    expect(globToRegExp('web?').test('web10')).toBe(false);
    expect(globToRegExp('db[!0-4]').test('db5')).toBe(true);
    expect(globToRegExp('db[!0-4]').test('db3')).toBe(false);
    expect(globToRegExp('a.b').test('axb')).toBe(false);
    expect(globToRegExp('x[').test('x[')).toBe(true);
  });
});

describe('YAML scalars read like PyYAML (YAML 1.1)', () => {
  it.each(fixture<[string, unknown][]>('yaml11.json'))('%s', (text, expected) => {
    expect(parseYaml(`a: ${text}`, 'case.yml', {})).toEqual({ a: expected });
  });
});

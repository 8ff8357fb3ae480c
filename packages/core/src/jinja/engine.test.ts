/**
 * Template parity: each fixture holds a template, vars, and the text ansible-core's template
 * module rendered from them (captured once); ours must give the same bytes.
 */
import { describe, expect, it } from '@jest/globals';
import { fixtureCases } from '../testing.js';
import { renderJinja } from './engine.js';

describe('templates render like Ansible', () => {
  for (const [file, c] of fixtureCases<{ description: string; template: string; vars: Record<string, unknown>; expected: string }>(new URL('./fixtures/templates/', import.meta.url))) {
    it(`${file}: ${c.description}`, () => {
      expect(renderJinja(c.template, c.vars, file)).toBe(c.expected);
    });
  }
  it('an undefined variable is an error naming the template', () => {
    expect(() => renderJinja('{{ nope }}', {}, 'app.j2')).toThrow(/template app\.j2: .*nope/);
  });
});

describe('what Ansible lacks or forbids is an error, never a wrong answer', () => {
  it.each([
    ['{{ x | no_such_filter }}', /No filter named 'no_such_filter'/],
    ['{{ x is no_such_test }}', /No test named 'no_such_test'/],
    ["{{ lookup('no_such_lookup', 'a') }}", /lookup plugin \(no_such_lookup\) not found/],
    ["{{ x | combine({'a': 1}, bogus=True) }}", /'bogus' is an invalid keyword argument for combine\(\)/],
    ["{{ [1, 'a'] | sort }}", /'<' not supported between instances of 'str' and 'int'/],
    ['{{ missing | mandatory }}', /Mandatory variable not defined/],
    ["{{ query('sequence', '012') }}", /can't parse end=012 as integer/],
    ["{{ query('sequence', 'start=1') }}", /must specify count or end in with_sequence/],
    ["{{ query('sequence', 'start=5 end=1') }}", /to count backwards make stride negative/],
    ["{{ query('sequence', 'end=3 format=%d-%d') }}", /bad formatting string: %d-%d/],
    ["{{ query('sequence', 'end=3 bogus=1') }}", /unrecognized arguments to with_sequence: \['bogus'\]/],
    ['{{ x | random }}', /random can only be used on sequences and integers/],
    ['{{ [1] | random(start=1) }}', /start and step can only be used with integer values/],
    ["{{ 'x' | password_hash('sha512', 'abcdefghijklmnopq') }}", /invalid salt size/],
    ["{{ 'abc' | truncate(2) }}", /expected length >= 3, got 2/],
    ["{{ '{nope}'.format(a=1) }}", /KeyError: 'nope'/],
    ["{{ '{} {}'.format(1) }}", /IndexError: Replacement index out of range/],
    ["{{ '{:d}'.format('x') }}", /Unknown format code 'd' for object of type 'str'/],
    ["{{ lookup('pipe', 'exit 3') }}", /lookup_plugin.pipe\(exit 3\) returned 3/],
  ])('%s', (template, error) => {
    expect(() => renderJinja(template, { x: {} }, 'case.j2')).toThrow(error);
  });
});

describe('module args and vars render as Ansible\'s Templar renders them', () => {
  // Captured from ansible-core 2.14 (debug msg): backslashes in `{{ }}` literals are doubled first, so they stay literal.
  it.each([
    ["{{ 'abc' | regex_replace('(b)', '\\1\\1') }}", "abbc"],
    ["{{ 'abc' | regex_replace('(b)', '\\\\1\\\\1') }}", "a\\1\\1c"],
    ["{{ 'a1b22' | regex_replace('\\d+', 'N') }}", "aNbN"],
    ["{{ 'a\\tb' }}", "a\\tb"],
    ["{{ 'x\\\\y' }}", "x\\\\y"],
    ["{% if 'a\\tb' | length == 3 %}yes{% else %}no{% endif %}", "yes"],
    ["pre\\d {{ 'v' }}", "pre\\d v"],
    ["{{ ['a\\d', 'b'] }}", ["a\\d", "b"]],
    ["{{ 'x' ~ '\\n' ~ 'y' }}", "x\\ny"],
  ])('%s', async (value, expected) => {
    const { templateValue } = await import('./engine.js');
    expect(templateValue(value, {}, 'v')).toEqual(expected);
  });
});

describe('values and secrets', () => {
  it('a Secret renders in clear (the text goes to the host) and is reported', async () => {
    const { renderWithSecrets, templateValue } = await import('./engine.js');
    const { Secret } = await import('../command.js');
    const r = renderWithSecrets('password={{ pw }}\n', { pw: new Secret('s3cr3t') }, 'app.j2');
    expect(r).toEqual({ text: 'password=s3cr3t\n', secrets: ['s3cr3t'] });
    expect(templateValue('{{ pw }}', { pw: new Secret('s3cr3t') }, 'v')).toBeInstanceOf(Secret);
    const mixed = templateValue('u:{{ pw }}', { pw: new Secret('s3cr3t') }, 'v') as InstanceType<typeof Secret>;
    expect(mixed).toBeInstanceOf(Secret);
    expect(mixed.value).toBe('u:s3cr3t');
  });
  it('one whole expression keeps lists, dicts and booleans; anything else is a string', async () => {
    const { templateValue } = await import('./engine.js');
    const vars = { n: 5, l: [1, 2], d: { a: 1 }, t: true };
    expect(templateValue('{{ l }}', vars, 'v')).toEqual([1, 2]);
    expect(templateValue('{{ d }}', vars, 'v')).toEqual({ a: 1 });
    expect(templateValue('{{ t }}', vars, 'v')).toBe(true);
    expect(templateValue('{{ n }}', vars, 'v')).toBe(5);
    expect(templateValue('{{ n + 1 }}', vars, 'v')).toBe('6');
    expect(templateValue('10.0.0.{{ n }}', vars, 'v')).toBe('10.0.0.5');
    expect(templateValue(['{{ n }}', { k: '{{ n + 1 }}' }], vars, 'v')).toEqual([5, { k: '6' }]);
    // One expression whose own braces hold a `}}`.
    expect(templateValue("{{ {'a': {'b': 1}} | combine({'a': {'c': 2}}, recursive=true) }}", vars, 'v')).toEqual({ a: { b: 1, c: 2 } });
    expect(templateValue('{{ n }}{{ n }}', vars, 'v')).toBe('55');
  });
});

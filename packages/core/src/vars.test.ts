import { describe, expect, it } from '@jest/globals';
import { loadJinja } from './jinja/index.js';
import { extendVars, mergeVars } from './vars.js';

describe('mergeVars', () => {
  it('renders templates lazily against the merged vars, later layers winning', async () => {
    const { templateValue } = await loadJinja();
    const v = mergeVars([{ n: 1, addr: '10.0.0.{{ n }}' }, { n: 5 }], templateValue);
    expect(v.addr).toBe('10.0.0.5');
    expect(extendVars(v, { n: 7 }).addr).toBe('10.0.0.7');
  });
  it('an unused broken var costs nothing; a used one is an error naming it', async () => {
    const { templateValue } = await loadJinja();
    const v = mergeVars([{ ok: 'fine', bad: '{{ nope }}' }], templateValue);
    expect(v.ok).toBe('fine');
    expect(() => v.bad).toThrow(/bad/);
  });
  it('a var that needs itself is a recursive loop, as Ansible words it', async () => {
    const { templateValue } = await loadJinja();
    const v = mergeVars([{ a: '{{ b }}', b: '{{ a }}', c: 'x{{ c }}' }], templateValue);
    expect(() => v.a).toThrow(/recursive loop detected in template string: \{\{ [ab] \}\}/);
    expect(() => v.c).toThrow(/recursive loop detected in template string: x\{\{ c \}\}/);
  });
});

import { describe, expect, it } from '@jest/globals';
import { cutSlices, defaultSliceSize } from './slices.js';

describe('cutSlices', () => {
  it('cuts in order, hosts of one tag together', () => {
    const tags: Record<string, string> = { b: 'site-a', d: 'site-a' };
    expect(cutSlices(['a', 'b', 'c', 'd', 'e'], 2, (h) => tags[h])).toEqual([
      { index: 0, hosts: ['a', 'c'] },
      { index: 1, hosts: ['e'] },
      { index: 2, tag: 'site-a', hosts: ['b', 'd'] },
    ]);
  });
  it('sizes slices from the free worker slots', () => {
    expect([defaultSliceSize(30, 3), defaultSliceSize(31, 3), defaultSliceSize(2, 8), defaultSliceSize(5, 0)]).toEqual([10, 11, 1, 5]);
  });
});

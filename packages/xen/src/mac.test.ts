import { describe, expect, it } from '@jest/globals';
import { guestMac, sameMac } from './mac.js';

describe('guestMac', () => {
  it('is in the Xen range, stable for the same guest and IP, different otherwise', () => {
    const a = guestMac('web01', '203.0.113.7');
    expect(a).toMatch(/^00:16:3e:[0-9a-f]{2}:[0-9a-f]{2}:[0-9a-f]{2}$/);
    expect(guestMac('web01', '203.0.113.7')).toBe(a);
    expect(guestMac('web01', '203.0.113.8')).not.toBe(a);
    expect(guestMac('web02', '203.0.113.7')).not.toBe(a);
    expect(sameMac(a.toUpperCase(), a)).toBe(true);
  });
});

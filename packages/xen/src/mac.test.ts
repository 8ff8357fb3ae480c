import { describe, expect, it } from '@jest/globals';
import { withMarkedBlock } from './hooks.js';
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

describe('withMarkedBlock', () => {
  const m = '# {mark} jail';
  it('appends once, then replaces in place', () => {
    const once = withMarkedBlock('Port 22\nSubsystem sftp x\n', m, ['Match User b', '  ForceCommand internal-sftp']);
    expect(once).toBe('Port 22\nSubsystem sftp x\n# BEGIN jail\nMatch User b\n  ForceCommand internal-sftp\n# END jail\n');
    expect(withMarkedBlock(once, m, ['Match User b', '  ForceCommand internal-sftp'])).toBe(once);
    expect(withMarkedBlock(once, m, ['Match User c'])).toBe('Port 22\nSubsystem sftp x\n# BEGIN jail\nMatch User c\n# END jail\n');
  });
});

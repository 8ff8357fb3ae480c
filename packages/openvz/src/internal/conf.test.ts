import { describe, expect, it } from '@jest/globals';
import { parseVzConf, setConfKeys } from './conf.js';
import { normalizeDiskinodes, normalizeDiskspace, normalizeUbc } from './units.js';

describe('vzctl config files', () => {
  const text = '## Global\nVIRTUOZZO=yes\n# DISKSPACE="1:1"\nTEMPLATE=/var/lib/vz/template\nVE_ROOT="/var/lib/vz/root/$VEID"\nX=1\nX=2\n';
  it('parses like vzctl: quotes removed, comments skipped, later keys win', () => {
    expect(parseVzConf(text)).toEqual({ VIRTUOZZO: 'yes', TEMPLATE: '/var/lib/vz/template', VE_ROOT: '/var/lib/vz/root/$VEID', X: '2' });
  });
  it('sets keys in place and appends new ones, keeping comments', () => {
    const out = setConfKeys(text, { X: '3', DISKSPACE: '2G:2.2G' });
    expect(out).toBe('## Global\nVIRTUOZZO=yes\n# DISKSPACE="1:1"\nTEMPLATE=/var/lib/vz/template\nVE_ROOT="/var/lib/vz/root/$VEID"\nX=1\nX="3"\nDISKSPACE="2G:2.2G"\n');
    expect(setConfKeys('', { A: 'b' })).toBe('A="b"\n');
  });
});

describe('vzctl units', () => {
  it.each([
    ['10G', '10485760:10485760'],
    ['2G:2.2G', '2097152:2306867'],
    ['1048576', '1048576:1048576'],
    [500, '500:500'],
  ])('diskspace %s → %s', (v, want) => expect(normalizeDiskspace(v)).toBe(want));
  it('diskinodes and UBC', () => {
    expect(normalizeDiskinodes('131072:144179')).toBe('131072:144179');
    expect(normalizeUbc('physpages', '0:256M')).toBe('0:65536');
    expect(normalizeUbc('KMEMSIZE', '14M')).toBe('14680064:14680064');
    expect(normalizeUbc('numproc', '240')).toBe('240:240');
    expect(normalizeUbc('vmguarpages', '33792:unlimited')).toBe('33792:unlimited');
  });
  it('rejects bad values naming the field', () => {
    expect(() => normalizeDiskspace('10X')).toThrow(/diskspace: bad value "10X"/);
    expect(() => normalizeUbc('kmemsiz', 1)).toThrow(/unknown UB parameter "kmemsiz"/);
  });
});

import { describe, expect, it } from '@jest/globals';
import { parseRegistry, planRegistryEntry, registryOctet, type PairRegistry } from './guest-registry.js';

const hosting = `IP;Name;Package;external IP;Date created
10.10.1.1;xen1.example.org;dom0;;2019-03-01
10.10.1.12;web02.hosting.example.org;package2;203.0.113.9;2020-01-02
10.10.1.7;;package1;;2019-06-01
`;
const backup = `IP;Name;Package;Date created
10.20.1.12;web02.backup.example.org;package2;2020-01-02
10.20.1.7;-;package1;2019-06-01
`;
const reg = (h = hosting, b = backup): PairRegistry => ({ hosting: parseRegistry(h, 'hosting', 'h.csv'), backup: parseRegistry(b, 'backup', 'b.csv') });
const names = (n: string) => ({ hosting: `${n}.hosting.example.org`, backup: `${n}.backup.example.org` });
const prefixes = { hosting: '10.10.1', backup: '10.20.1' };

describe('registry', () => {
  it('parses both formats; errors name the file, line and field', () => {
    expect(reg().hosting[1]).toEqual({ ip: '10.10.1.12', name: 'web02.hosting.example.org', package: 'package2', externalIp: '203.0.113.9', date: '2020-01-02', line: 3 });
    expect(reg().backup[1]).toMatchObject({ ip: '10.20.1.7', name: '', line: 3 });
    expect(() => parseRegistry('IP;Name\n', 'backup', '/root/b.csv')).toThrow('/root/b.csv: line 1: expected the header "IP;Name;Package;Date created", got "IP;Name"');
    expect(() => parseRegistry(`${hosting}10.10.1.300;x;p;;d\n`, 'hosting', 'h.csv')).toThrow('h.csv: line 5: field "IP" has bad value "10.10.1.300": expected an IPv4 address');
    expect(() => parseRegistry(`${backup}10.20.1.5;x;p\n`, 'backup', 'b.csv')).toThrow("b.csv: line 4: expected 4 fields separated by ';', got 3");
  });

  it('octet: listed pairs keep theirs, a released one is reused, else highest + 1', () => {
    expect(registryOctet(reg(), names('web02'), prefixes)).toBe(12);
    expect(registryOctet(reg(), names('web03'), prefixes)).toBe(7);
    const noRelease = reg(hosting.replace('10.10.1.7;;', '10.10.1.7;web07.hosting.example.org;'), backup);
    expect(registryOctet(noRelease, names('web03'), prefixes)).toBe(13);
  });

  it('entry: appended once, a released line taken over, conflicts fail', () => {
    const add = planRegistryEntry({ path: '/r/h.csv', kind: 'hosting', ip: '10.10.1.13', name: 'web03.hosting.example.org', package: 'package1' }, hosting, '2026-12-03');
    expect(add).toMatchObject({ changed: true, msg: '/r/h.csv: web03.hosting.example.org added (10.10.1.13)', changes: [{ kind: 'write', path: '/r/h.csv', content: `${hosting}10.10.1.13;web03.hosting.example.org;package1;;2026-12-03\n` }] });
    const reuse = planRegistryEntry({ path: '/r/b.csv', kind: 'backup', ip: '10.20.1.7', name: 'web03.backup.example.org', package: 'package1' }, backup, '2026-12-03');
    expect(reuse).toMatchObject({ changed: true, msg: '/r/b.csv: web03.backup.example.org takes the released line 3 (10.20.1.7)' });
    expect((reuse as unknown as { changes: { content: string }[] }).changes[0]!.content).toBe(backup.replace('10.20.1.7;-;package1;2019-06-01', '10.20.1.7;web03.backup.example.org;package1;2026-12-03'));
    expect(planRegistryEntry({ path: '/r/h.csv', kind: 'hosting', ip: '10.10.1.12', name: 'web02.hosting.example.org', package: 'x' }, hosting, 'd')).toMatchObject({ changed: false, msg: '/r/h.csv: web02.hosting.example.org is listed (line 3)' });
    expect(planRegistryEntry({ path: '/r/h.csv', kind: 'hosting', ip: '10.10.1.14', name: 'web02.hosting.example.org', package: 'x' }, hosting, 'd')).toMatchObject({ failed: true, msg: '/r/h.csv: line 3: web02.hosting.example.org is listed with 10.10.1.12, not 10.10.1.14' });
    expect(planRegistryEntry({ path: '/r/h.csv', kind: 'hosting', ip: '10.10.1.12', name: 'other', package: 'x' }, hosting, 'd')).toMatchObject({ failed: true, msg: '/r/h.csv: line 3: 10.10.1.12 belongs to web02.hosting.example.org' });
    expect(planRegistryEntry({ path: '/r/h.csv', kind: 'hosting', ip: '10.10.1.12', name: 'x', package: 'x' }, undefined, 'd')).toMatchObject({ failed: true, msg: expect.stringContaining('/r/h.csv: registry file missing') });
  });
});

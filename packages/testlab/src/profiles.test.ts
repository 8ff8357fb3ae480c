import { describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { profilesDir, resolveProfile } from './profiles.js';

function extraDir(profiles: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'profiles-'));
  for (const [name, json] of Object.entries(profiles)) {
    mkdirSync(path.join(dir, name));
    writeFileSync(path.join(dir, name, 'profile.json'), json);
  }
  return dir;
}

describe('resolveProfile', () => {
  it('layers the base profile under a profile built on it', () => {
    const dir = extraDir({ tiny: '{ "base": "busybox" }' });
    expect(resolveProfile('tiny', [dir])).toEqual({
      name: 'tiny', base: 'busybox', dir: path.join(dir, 'tiny'), layers: [path.join(profilesDir, 'busybox'), path.join(dir, 'tiny')],
    });
    expect(resolveProfile('debian').layers).toEqual([path.join(profilesDir, 'debian')]);
    expect(resolveProfile('esxi')).toMatchObject({ shared: ['/vmfs/volumes/shared'], bmc: true });
  });

  it('names the file and the bad value', () => {
    const dir = extraDir({ bad: '{ "base": "centos" }', broken: '{ base' });
    expect(() => resolveProfile('bad', [dir])).toThrow(`profile bad: ${path.join(dir, 'bad/profile.json')}: "base" must be "debian" or "busybox", got "centos"`);
    expect(() => resolveProfile('broken', [dir])).toThrow(/profile broken: cannot read .*broken\/profile.json/);
    expect(() => resolveProfile('../etc')).toThrow(/bad profile name "..\/etc"/);
    const more = extraDir({ up: '{ "base": "busybox", "shared": ["/vmfs/../etc"] }', relative: '{ "base": "busybox", "shared": ["vmfs"] }', bmc: '{ "base": "busybox", "bmc": "yes" }' });
    expect(() => resolveProfile('up', [more])).toThrow(`profile up: ${path.join(more, 'up/profile.json')}: "shared" must be a list of absolute paths (letters, digits, /._-), got ["/vmfs/../etc"]`);
    expect(() => resolveProfile('relative', [more])).toThrow(/"shared" must be a list of absolute paths/);
    expect(() => resolveProfile('bmc', [more])).toThrow(/"bmc" must be true or false, got "yes"/);
  });
});

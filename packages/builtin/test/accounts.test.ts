import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Lab } from '@shipshape/testlab';
import { group, user } from '@shipshape/builtin';
import { HOSTS, onHost, resultOf, runOn, runTwice, startBuiltinLab } from './lab.js';

let lab: Lab;
beforeAll(async () => {
  lab = await startBuiltinLab(52);
});
afterAll(async () => {
  await lab?.stop();
});

const line = (text: string, name: string) => text.split('\n').find((l) => l.startsWith(`${name}:`));

// deb has useradd/groupadd; bb has no account tool at all, so the files are edited directly
describe.each(HOSTS.map((h) => h.name))('user and group on %s', (host) => {
  const fs = () => onHost(lab, host);

  it('group: created with a gid, then nothing; check mode adds nothing', async () => {
    const check = await runOn(lab, host, [group({ name: 'ops', gid: 2345 })], { check: true });
    expect(check.stats[host]!.changed).toBe(1);
    expect(line(fs().text('/etc/group'), 'ops')).toBeUndefined();
    await runTwice(lab, host, [group({ name: 'ops', gid: 2345 }), group({ name: 'audit' })]);
    expect(line(fs().text('/etc/group'), 'ops')).toMatch(/^ops:[^:]*:2345:/);
    expect(line(fs().text('/etc/group'), 'audit')).toBeDefined();
  });

  it('user: created with groups, modified, removed', async () => {
    const s = await runTwice(lab, host, [
      user({ name: 'deploy', uid: 2001, groups: ['ops'], shell: '/bin/sh', comment: 'Deploy user', home: '/home/deploy' }, { name: 'create' }),
    ]);
    expect(resultOf(s, 'create').changed).toBe(true);
    expect(line(fs().text('/etc/passwd'), 'deploy')).toMatch(/^deploy:x:2001:\d+:Deploy user:\/home\/deploy:\/bin\/sh$/);
    expect(line(fs().text('/etc/group'), 'ops')).toMatch(/:deploy$/);
    expect(fs().stat('/home/deploy').uid).toBe(2001);
    expect(line(fs().text('/etc/shadow'), 'deploy')).toMatch(/^deploy:!/);

    await runTwice(lab, host, [user({ name: 'deploy', groups: ['audit'], append: true, shell: '/bin/false', password: '$6$salt$hash' })]);
    expect(line(fs().text('/etc/passwd'), 'deploy')).toMatch(/:\/bin\/false$/);
    expect(line(fs().text('/etc/group'), 'ops')).toMatch(/:deploy$/);
    expect(line(fs().text('/etc/group'), 'audit')).toMatch(/:deploy$/);
    expect(line(fs().text('/etc/shadow'), 'deploy')).toMatch(/^deploy:\$6\$salt\$hash:/);

    await runTwice(lab, host, [user({ name: 'deploy', groups: ['audit'] })]);
    expect(line(fs().text('/etc/group'), 'ops')).not.toMatch(/deploy/);

    await runTwice(lab, host, [user({ name: 'deploy', state: 'absent', remove: true }), group({ name: 'ops', state: 'absent' })]);
    expect(line(fs().text('/etc/passwd'), 'deploy')).toBeUndefined();
    expect(line(fs().text('/etc/shadow'), 'deploy')).toBeUndefined();
    expect(line(fs().text('/etc/group'), 'ops')).toBeUndefined();
    expect(fs().text('/etc/group')).not.toMatch(/deploy/);
    expect(fs().exists('/home/deploy')).toBe(false);
  });

  it('user: a missing group is a clear error', async () => {
    const s = await runOn(lab, host, [user({ name: 'x1', groups: ['nosuchgroup'] }, { name: 'bad' })]);
    expect(resultOf(s, 'bad')).toMatchObject({ status: 'failed', msg: expect.stringContaining('Group nosuchgroup does not exist') });
  });
});

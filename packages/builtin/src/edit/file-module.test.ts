import { describe, expect, it } from '@jest/globals';
import type { Change, FileState, Plan } from '@shipshape/core';
import { blockinfile } from '../modules/blockinfile.js';
import { iniFile } from '../modules/ini_file.js';
import { lineinfile } from '../modules/lineinfile.js';
import { replace } from '../modules/replace.js';

const file = (content: string | Buffer, mode = '0644'): FileState => ({
  exists: true,
  type: 'file',
  content: Buffer.isBuffer(content) ? content : Buffer.from(content),
  mode,
  owner: 'root',
  group: 'root',
});
const changesOf = (p: Plan): readonly Change[] => (p.changed ? p.changes : []);
const plan = <A>(m: { module: { schema: { parse(x: unknown): A }; plan(a: A, f: FileState): Plan } }, args: unknown, f: FileState): Plan =>
  m.module.plan(m.module.schema.parse(args), f);

describe('edit modules: plans', () => {
  it('passes mode, owner, group, backup and validate through to the write, with a diff', () => {
    const p = plan(lineinfile, { path: '/etc/ssh/sshd_config', line: 'PermitRootLogin no', regexp: '^#?PermitRootLogin',
      mode: '0600', owner: 'root', group: 'adm', backup: true, validate: '/usr/sbin/sshd -t -f %s' }, file('#PermitRootLogin yes\n'));
    expect(p.changed).toBe(true);
    const w = changesOf(p)[0]!;
    expect(w).toMatchObject({ kind: 'write', path: '/etc/ssh/sshd_config', mode: '0600', owner: 'root', group: 'adm', backup: true,
      validate: '/usr/sbin/sshd -t -f %s' });
    expect(w.kind === 'write' && w.content.toString()).toBe('PermitRootLogin no\n');
    expect(p.changed && p.diff).toEqual([{ path: '/etc/ssh/sshd_config', before: '#PermitRootLogin yes\n', after: 'PermitRootLogin no\n' }]);
    expect(p.msg).toBe('line replaced and ownership, perms or SE linux context changed');
  });

  it('creates a missing file (and its parent directories), without backup', () => {
    const p = plan(blockinfile, { path: '/srv/new dir/f.conf', block: 'x', create: true, backup: true }, { exists: false });
    const list = changesOf(p);
    expect(list.map((c) => c.kind)).toEqual(['write']);
    // The write itself creates '/srv/new dir' (mkdir -p), no extra round trip.
    expect(list[0]).toMatchObject({ kind: 'write', path: '/srv/new dir/f.conf', createParents: true });
    expect(list[0]).not.toHaveProperty('backup');
    expect(p.msg).toBe('File created');
  });

  it('changes only the mode when the content is already right (octal and symbolic)', () => {
    const p = plan(lineinfile, { path: '/f', line: 'a', mode: 'u=rw,go=' }, file('a\n', '0644'));
    expect(p.changed).toBe(true);
    expect(changesOf(p).map((c) => (c.kind === 'exec' ? c.command.text : c.kind))).toEqual(['chmod 0600 /f']);
    expect(p.msg).toBe('ownership, perms or SE linux context changed');
    expect(plan(lineinfile, { path: '/f', line: 'a', mode: '0600' }, file('a\n', '0600')).changed).toBe(false);
    expect(plan(lineinfile, { path: '/f', line: 'a', mode: 0o600 }, file('a\n', '0600')).changed).toBe(false);
  });

  it('changes owner and group with chown/chgrp', () => {
    const p = plan(iniFile, { path: '/f.ini', section: 's', option: 'k', value: 'v', owner: 'www-data', group: 'www-data' }, file('[s]\nk = v\n'));
    expect(changesOf(p).map((c) => (c.kind === 'exec' ? c.command.text : c.kind))).toEqual(['chown www-data /f.ini', 'chgrp www-data /f.ini']);
  });

  it('matches a numeric owner or group against the live ids (owner 0 is root)', () => {
    const live = { ...file('a\n'), uid: 0, gid: 4 };
    expect(plan(lineinfile, { path: '/f', line: 'a', owner: '0', group: '4' }, live).changed).toBe(false);
    expect(changesOf(plan(lineinfile, { path: '/f', line: 'a', owner: '1000', group: 'adm' }, live)).map((c) => (c.kind === 'exec' ? c.command.text : c.kind)))
      .toEqual(['chown 1000 /f', 'chgrp adm /f']);
  });

  it('refuses a directory', () => {
    expect(() => plan(replace, { path: '/etc', regexp: 'x' }, { exists: true, type: 'directory', mode: '0755' })).toThrow('Path /etc is a directory !');
  });

  it('keeps bytes that are not UTF-8 and matches non-ASCII text bytewise', () => {
    const before = Buffer.concat([Buffer.from('bin='), Buffer.from([0xff, 0xfe]), Buffer.from('\ncafé=1\n')]);
    const p = plan(lineinfile, { path: '/f', regexp: '^café=', line: 'café=2' }, file(before));
    const w = changesOf(p)[0]!;
    expect(w.kind === 'write' && Buffer.from(w.content)).toEqual(
      Buffer.concat([Buffer.from('bin='), Buffer.from([0xff, 0xfe]), Buffer.from('\ncafé=2\n')]),
    );
  });

  it('replace reads Latin-1 files with encoding: latin-1', () => {
    const p = plan(replace, { path: '/f', regexp: 'caf\\w', replace: 'CAFÉ', encoding: 'latin-1' }, file(Buffer.from('café\n', 'latin1')));
    const w = changesOf(p)[0]!;
    expect(w.kind === 'write' && Buffer.from(w.content)).toEqual(Buffer.from('CAFÉ\n', 'latin1'));
    expect(() => replace.module.schema.parse({ path: '/f', regexp: 'x', encoding: 'utf-16' })).toThrow();
  });

  it('accepts a JS RegExp (JS semantics) for regexp', () => {
    const p = plan(lineinfile, { path: '/f', regexp: /^port\s*=/i, line: 'port = 2' }, file('PORT=1\n'));
    const w = changesOf(p)[0]!;
    expect(w.kind === 'write' && w.content.toString()).toBe('port = 2\n');
  });

  it('writes literally: no shell interpretation of line or path', () => {
    const p = plan(lineinfile, { path: "/tmp/a b'c", line: '$(touch /tmp/pwned) `id`' }, file(''));
    const w = changesOf(p)[0]!;
    expect(w).toMatchObject({ kind: 'write', path: "/tmp/a b'c" });
    expect(w.kind === 'write' && w.content.toString()).toBe('$(touch /tmp/pwned) `id`\n');
  });

  it('reports no change with a reason, and a second plan over the result is a no-op', () => {
    const args = { path: '/f', section: 'Date', option: 'date.timezone', value: 'UTC' };
    const first = plan(iniFile, args, file('[Date]\n;date.timezone =\n'));
    const w = changesOf(first)[0]!;
    const second = plan(iniFile, args, file(w.kind === 'write' ? Buffer.from(w.content) : ''));
    expect(second).toEqual({ changed: false, msg: 'OK', result: undefined });
  });

  it('types the arguments (wrong ones fail to compile)', () => {
    // @ts-expect-error state is 'present' | 'absent'
    const bad = lineinfile({ path: '/f', line: 'x', state: 'gone' });
    expect(() => lineinfile.module.schema.parse({ path: '/f', line: 'x', state: 'gone' })).toThrow();
    // @ts-expect-error regexp is required by replace
    replace({ path: '/f' });
    expect(bad.kind).toBe('module');
  });
});

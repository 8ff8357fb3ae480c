import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Lab } from '@shipshape/testlab';
import { copy, file, template } from '@shipshape/builtin';
import { HOSTS, onHost, resultOf, runOn, runTwice, startBuiltinLab } from './lab.js';

let lab: Lab;
beforeAll(async () => {
  lab = await startBuiltinLab(50);
});
afterAll(async () => {
  await lab?.stop();
});

describe.each(HOSTS.map((h) => h.name))('file modules on %s', (host) => {
  it('copy: content, then attributes only, idempotent; check mode leaves the file alone', async () => {
    const fs = onHost(lab, host);
    const first = await runTwice(lab, host, [copy({ dest: '/root/motd', content: 'hello\n', mode: '0640' }, { name: 'motd' })]);
    expect(resultOf(first, 'motd').changed).toBe(true);
    expect(fs.text('/root/motd')).toBe('hello\n');
    expect(fs.mode('/root/motd')).toBe('0640');
    await runTwice(lab, host, [copy({ dest: '/root/motd', content: 'hello\n', mode: 'u=rw,go=r' })]);
    expect(fs.mode('/root/motd')).toBe('0644');
    const backed = await runTwice(lab, host, [copy({ dest: '/root/motd', content: 'hello again\n', backup: true }, { name: 'backup' })]);
    const backupFile = String(resultOf(backed, 'backup').data?.backup_file);
    expect(backupFile).toMatch(/^\/root\/motd\..+~$/);
    expect(fs.text(backupFile)).toBe('hello\n');
    expect(fs.text('/root/motd')).toBe('hello again\n');
    await runOn(lab, host, [copy({ dest: '/root/motd', content: 'hello\n' })]);
    const check = await runOn(lab, host, [copy({ dest: '/root/motd', content: 'changed\n' }, { name: 'motd' })], { check: true, diff: true });
    expect(resultOf(check, 'motd')).toMatchObject({ changed: true, diff: [{ path: '/root/motd', before: 'hello\n', after: 'changed\n' }] });
    expect(fs.text('/root/motd')).toBe('hello\n');
  });

  it('copy: a controller directory tree, recursively, then nothing', async () => {
    const src = mkdtempSync(join(tmpdir(), 'shipshape-copy-'));
    mkdirSync(join(src, 'tree/sub dir'), { recursive: true });
    writeFileSync(join(src, 'tree/a.txt'), 'A\n');
    writeFileSync(join(src, 'tree/sub dir/b.bin'), Buffer.from([0, 1, 2, 255]));
    await runTwice(lab, host, [copy({ src: join(src, 'tree'), dest: '/root/copied', directory_mode: '0750' })]);
    const fs = onHost(lab, host);
    expect(fs.text('/root/copied/tree/a.txt')).toBe('A\n');
    expect([...fs.read('/root/copied/tree/sub dir/b.bin')]).toEqual([0, 1, 2, 255]);
    expect(fs.mode('/root/copied/tree/sub dir')).toBe('0750');
  });

  it('template: nunjucks with vars and a TS function', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shipshape-tpl-'));
    writeFileSync(join(dir, 'app.j2'), '{% for s in servers %}\nserver {{ s }}\n{% endfor %}\nport={{ port | default(80) }}\n');
    await runTwice(lab, host, [
      template({ src: join(dir, 'app.j2'), dest: '/root/app.conf', vars: { servers: ['a', 'b'] } }),
      template({ src: (v) => `host=${String(v.inventory_hostname)}\n`, dest: '/root/fn.conf' }),
    ]);
    const fs = onHost(lab, host);
    expect(fs.text('/root/app.conf')).toBe('server a\nserver b\nport=80\n');
    expect(fs.text('/root/fn.conf')).toBe(`host=${host}\n`);
  });

  it('file: directory, recursive symbolic modes, links, touch, absent', async () => {
    const fs = onHost(lab, host);
    await runTwice(lab, host, [
      file({ path: '/root/d', state: 'directory' }),
      file({ path: '/root/d/f', state: 'touch', modification_time: 'preserve', access_time: 'preserve' }),
      file({ path: '/root/d', state: 'directory', mode: 'u=rwX,g=rX,o=', recurse: true }),
      file({ path: '/root/link', state: 'link', src: '/root/d/f' }),
      file({ path: '/root/hard', state: 'hard', src: '/root/d/f' }),
      file({ path: '/root/gone', state: 'absent' }),
    ]);
    expect(fs.mode('/root/d')).toBe('0750');
    expect(fs.mode('/root/d/f')).toBe('0640');
    expect(fs.link('/root/link')).toBe('/root/d/f');
    expect(fs.stat('/root/hard').ino).toBe(fs.stat('/root/d/f').ino);
    const check = await runOn(lab, host, [file({ path: '/root/d', state: 'absent' })], { check: true });
    expect(check.stats[host]!.changed).toBe(1);
    expect(fs.exists('/root/d/f')).toBe(true);
    await runTwice(lab, host, [file({ path: '/root/d', state: 'absent' })]);
    expect(fs.exists('/root/d')).toBe(false);
  });

  it('file: symbolic modes resolve like chmod, step by step', async () => {
    const fs = onHost(lab, host);
    const steps: [string, string][] = [['0644', '0644'], ['u+x,g-r', '0704'], ['o=u', '0707'], ['a-x,g+w', '0626'], ['u=rwx,g=rx,o=', '0750'], ['+t', '1750']];
    await runOn(lab, host, [file({ path: '/root/m', state: 'touch' })]);
    for (const [mode, want] of steps) {
      await runTwice(lab, host, [file({ path: '/root/m', mode })]);
      expect([mode, fs.mode('/root/m')]).toEqual([mode, want]);
    }
  });

  it('file: touch without preserve changes every run, like Ansible', async () => {
    const a = await runOn(lab, host, [file({ path: '/root/t', state: 'touch' })]);
    const b = await runOn(lab, host, [file({ path: '/root/t', state: 'touch' })]);
    expect([a.stats[host]!.changed, b.stats[host]!.changed]).toEqual([1, 1]);
  });
});

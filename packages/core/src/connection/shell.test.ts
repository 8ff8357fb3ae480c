import { describe, expect, it } from '@jest/globals';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { processChannel } from './local.js';
import { CaptureUnavailable, RemoteShell } from './shell.js';

// The framing runs in the shells targets have: dash and busybox ash, as local processes standing in for
// the SSH channel (stdin, stdout, stderr, close).
const SHELLS = [['dash'], ...(spawnSync('busybox', ['true']).status === 0 ? [['busybox', 'sh']] : [])];

function localShell(argv: string[], env: Record<string, string>) {
  const p = spawn(argv[0]!, argv.slice(1), { env: { PATH: process.env.PATH!, ...env } });
  const exited = new Promise<void>((r) => p.on('close', () => r()));
  return { shell: new RemoteShell(processChannel(p)), exited };
}

describe.each(SHELLS)('captured output in %s', (...argv) => {
  it('keeps stdout, stderr and the exit code apart, then removes its directory when the shell exits', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'ss-capture-'));
    const { shell, exited } = localShell(argv, { TMPDIR: tmp });
    expect(await shell.run('printf out; echo err >&2; exit 3', true)).toMatchObject({ code: 3, stdout: 'out', stderr: 'err\n' });
    expect(await shell.run('true', true)).toMatchObject({ code: 0, stdout: '', stderr: '' });
    expect(await shell.run('echo direct', false)).toMatchObject({ code: 0, stdout: 'direct\n' });
    expect(readdirSync(tmp)).toHaveLength(1);
    shell.close();
    await exited;
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('removes what a dead shell of ours left, nothing else; says so when it has nowhere to capture', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'ss-capture-'));
    const dead = spawnSync('sh', ['-c', 'echo $$']).stdout.toString().trim();
    mkdirSync(join(tmp, `.shipshape-sh.${dead}.abc`));
    writeFileSync(join(tmp, `.shipshape-sh.${dead}.abc`, 'o1'), 'old');
    mkdirSync(join(tmp, `.shipshape-sh.${process.pid}.live`));
    mkdirSync(join(tmp, '.shipshape-sh.notes'));
    const { shell, exited } = localShell(argv, { TMPDIR: tmp });
    expect(await shell.run('echo x', true)).toMatchObject({ stdout: 'x\n' });
    expect(existsSync(join(tmp, `.shipshape-sh.${dead}.abc`))).toBe(false);
    expect(existsSync(join(tmp, `.shipshape-sh.${process.pid}.live`))).toBe(true);
    expect(existsSync(join(tmp, '.shipshape-sh.notes'))).toBe(true);
    shell.close();
    await exited;

    const nowhere = localShell(argv, { TMPDIR: join(tmp, 'missing') });
    await expect(nowhere.shell.run('echo never > ran', true)).rejects.toBeInstanceOf(CaptureUnavailable);
    expect(await nowhere.shell.run('echo still fine', false)).toMatchObject({ stdout: 'still fine\n' });
    nowhere.shell.close();
    await nowhere.exited;
    expect(existsSync('ran')).toBe(false);
  });
});

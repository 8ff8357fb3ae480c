import { describe, expect, it } from '@jest/globals';
import { localShells } from '@shipshape/testlab';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sh } from '../command.js';
import { readFileCommand } from './file-commands.js';
import { batchCommand } from './prefetch.js';

/** Every kind of path a read may meet. */
function pathZoo(): { dir: string; paths: Record<string, string> } {
  const dir = mkdtempSync(join(tmpdir(), 'ss-probe-'));
  const paths: Record<string, string> = {
    text: 'sshd_config',
    noNewline: 'no newline',
    empty: 'empty',
    binary: 'binary',
    quote: "it's $(x) `y`",
    newline: 'new\nline',
    dir: 'a dir',
    linkToFile: 'link-to-file',
    linkToDir: 'link-to-dir',
    broken: 'broken-link',
    missing: 'missing',
    inMissingDir: 'nodir/file',
    mode600: 'secret',
    fifo: 'fifo',
  };
  for (const k of Object.keys(paths)) paths[k] = join(dir, paths[k]!);
  writeFileSync(paths.text!, 'Port 22\n#PermitRootLogin yes\n');
  writeFileSync(paths.noNewline!, 'last line');
  writeFileSync(paths.empty!, '');
  writeFileSync(paths.binary!, Buffer.from([0, 255, 10, 13, 0, 1, 128]));
  writeFileSync(paths.quote!, 'q\n');
  writeFileSync(paths.newline!, 'n\n');
  mkdirSync(paths.dir!);
  symlinkSync(paths.text!, paths.linkToFile!);
  symlinkSync(paths.dir!, paths.linkToDir!);
  symlinkSync(join(dir, 'nowhere'), paths.broken!);
  writeFileSync(paths.mode600!, 'x\n');
  chmodSync(paths.mode600!, 0o600);
  execFileSync('mkfifo', [paths.fifo!]);
  return { dir, paths };
}

describe('prefetch probe: reads folded into a few processes print exactly what each read prints', () => {
  const { paths } = pathZoo();
  for (const shell of localShells()) {
    it(`readFile, ${shell.name}: byte-identical to the live command; a fifo is left to the live read`, () => {
      const commands = Object.entries(paths).map(([k, p]) => [k, readFileCommand(p)] as const);
      const batch = batchCommand(commands.map(([, c]) => c));
      const got = batch.parse(shell.run(batch.command.text));
      for (const [k, c] of commands) {
        if (k === 'fifo') {
          expect(got.has(c.text)).toBe(false);
          continue;
        }
        expect({ k, out: got.get(c.text)?.stdoutBytes.toString('latin1') }).toEqual({ k, out: shell.run(c.text).toString('latin1') });
      }
    });
  }

  it('a probe mixed with plain commands; the probe runs a handful of processes however many paths', () => {
    const plain = sh`echo plain`;
    const reads = Object.values(paths).filter((p) => !p.endsWith('fifo')).map(readFileCommand);
    const batch = batchCommand([reads[0]!, plain, ...reads.slice(1)]);
    const got = batch.parse(execFileSync('sh', ['-c', batch.command.text]));
    expect(got.get(plain.text)?.stdout).toBe('plain\n');
    expect(reads.every((r) => got.has(r.text))).toBe(true);
    // umask, types, stat -L, cat, readlink loop, lstat (empty): no per-path process.
    expect(batch.command.text.match(/\bstat -L\b/g)).toHaveLength(1);
    expect(batch.command.text.match(/\bcat\b/g)).toHaveLength(1);
  });

  it('a file that changes size between stat and cat makes the whole probe fall back to live reads', () => {
    const batch = batchCommand([readFileCommand(paths.text!), readFileCommand(paths.empty!)]);
    // Simulate the race: the host printed one byte more than stat announced.
    const out = execFileSync('sh', ['-c', batch.command.text]).toString('latin1').replace('#PermitRootLogin yes\n', '#PermitRootLogin yes\nX');
    expect(batch.parse(Buffer.from(out, 'latin1')).size).toBe(0);
  });
});

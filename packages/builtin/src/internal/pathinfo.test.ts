import { describe, expect, it } from '@jest/globals';
import { localShells } from '@shipshape/testlab';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { batchCommand } from '@shipshape/core/module-kit';
import { parsePathInfo, pathInfoCommand, type ChecksumAlgorithm } from './pathinfo.js';

describe('pathInfoCommand folded into a prefetch probe prints exactly what it prints live', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ss-pathinfo-'));
  const p = (name: string) => join(dir, name);
  writeFileSync(p('file'), 'content\n');
  writeFileSync(p('empty'), '');
  writeFileSync(p("it's \\ odd"), 'odd\n');
  writeFileSync(p('new\nline'), 'n\n');
  mkdirSync(p('dir'));
  chmodSync(p('dir'), 0o750);
  symlinkSync(p('file'), p('link'));
  symlinkSync(p('dir'), p('dirlink'));
  symlinkSync('relative/target with space', p('broken'));
  // a target that would read as one more record if records were lines
  const forged = 'x\nR|file|0600|0|0|root|root|1|1|1|1|1||0\n-\n';
  symlinkSync(forged, p('forged'));
  execFileSync('mkfifo', [p('fifo')]);
  const names = ['file', 'empty', "it's \\ odd", 'dir', 'link', 'dirlink', 'broken', 'fifo', 'missing', 'nodir/x', 'forged', 'file'];
  const cases: [string, string[], { checksum?: ChecksumAlgorithm }][] = [
    ['each path alone', [], {}],
    ['all paths in one command', names.map(p), {}],
    ['sha1 checksums', names.map(p), { checksum: 'sha1' }],
    ['md5 checksums of a file also read plain', [p('file'), p('dir')], { checksum: 'md5' }],
    ['no paths', [], {}],
  ];
  for (const shell of localShells()) {
    it(`${shell.name}: every path kind, with and without checksums`, () => {
      const commands = [
        ...names.map((n) => pathInfoCommand([p(n)])),
        ...cases.slice(1).map(([, paths, opts]) => pathInfoCommand(paths, opts)),
        pathInfoCommand([p('file'), p('new\nline')], { checksum: 'sha256' }),
      ];
      const batch = batchCommand(commands);
      const got = batch.parse(shell.run(batch.command.text));
      for (const c of commands) {
        const live = shell.run(c.text).toString('latin1');
        expect({ c: c.display, out: got.get(c.text)?.stdoutBytes.toString('latin1') }).toEqual({ c: c.display, out: live });
      }
      // And the output parses the same way.
      const all = pathInfoCommand(names.map(p), { checksum: 'sha1' });
      const infos = parsePathInfo(got.get(all.text)!, names.length).infos;
      expect(infos.map((i) => i.type ?? '-')).toEqual(['file', 'file', 'file', 'directory', 'link', 'link', 'link', 'other', '-', '-', 'link', 'file']);
      expect(infos[10]!.target).toBe(forged);
      expect(infos[4]!.target).toBe(p('file'));
      expect(infos[6]!.target).toBe('relative/target with space');
      expect(infos[0]!.checksum).toBe(execFileSync('sha1sum', [p('file')]).toString().slice(0, 40));
    });
  }
});

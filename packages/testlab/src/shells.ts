import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface LocalShell {
  readonly name: string;
  /** Run shell text; stdout, throws on a non-zero exit. */
  run(text: string): Buffer;
}

/**
 * The shells a command must work in, on this machine: `sh` with the system's tools, and (where busybox
 * is installed) busybox sh with nothing but busybox applets on PATH — what ESXi has.
 */
export function localShells(): LocalShell[] {
  const list: LocalShell[] = [{ name: 'sh', run: (text) => execFileSync('sh', ['-c', text]) }];
  if (spawnSync('busybox', ['true']).status === 0) {
    const bin = mkdtempSync(join(tmpdir(), 'ss-bb-'));
    const busybox = execFileSync('sh', ['-c', 'command -v busybox']).toString().trim();
    for (const applet of ['stat', 'cat', 'sha1sum', 'sha256sum', 'md5sum', 'readlink', 'printf', 'mv', 'chmod', 'mkdir']) symlinkSync(busybox, join(bin, applet));
    list.push({ name: 'busybox', run: (text) => execFileSync(busybox, ['sh', '-c', text], { env: { PATH: bin } }) });
  }
  return list;
}

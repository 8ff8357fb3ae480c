import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { existsSync, watch } from 'node:fs';
import { join } from 'node:path';
import { startLab, type Lab } from '@shipshape/testlab';

const BIN = join(process.cwd(), 'packages/cli/dist/bundle/bin.js');
let lab: Lab;
beforeAll(async () => {
  lab = await startLab({ id: 81, hosts: 1 });
});
afterAll(async () => {
  await lab?.stop();
});

/** Resolves when `file` exists (fs.watch on its directory: no polling, no sleeps). */
function whenExists(file: string): Promise<void> {
  return new Promise((resolve) => {
    const w = watch(join(file, '..'), () => {
      if (existsSync(file)) {
        w.close();
        resolve();
      }
    });
    if (existsSync(file)) {
      w.close();
      resolve();
    }
  });
}

describe('Ctrl-C and SIGTERM', () => {
  it.each<[NodeJS.Signals, number]>([['SIGINT', 130], ['SIGTERM', 143]])('%s lets the in-flight task finish, starts no new task, prints the recap and exits %i', async (signal, exit) => {
    const root = join(lab.hosts[0]!.root, 'root');
    await lab.exec(lab.hosts[0]!.name, 'rm -f /root/slow-started /root/slow-release /root/slow-finished /root/second-task-ran');
    const child = spawn('node', [BIN, 'run', 'test/cli/fixtures/slow.ts', '-i', lab.inventoryPath], { env: { ...process.env, NO_COLOR: '1' } });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    await whenExists(join(root, 'slow-started'));
    child.kill(signal);
    // The task is still running on the host; release it only after the signal was sent.
    await lab.exec(lab.hosts[0]!.name, 'touch /root/slow-release');
    expect(await exited).toBe(exit);
    expect(existsSync(join(root, 'slow-finished'))).toBe(true);
    expect(existsSync(join(root, 'second-task-ran'))).toBe(false);
    expect(out).toMatch(/^changed: \[host1\]$/m);
    expect(out).toMatch(/PLAY RECAP/);
    expect(out).toMatch(/run interrupted/);
  });
});

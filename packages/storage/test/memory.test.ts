// A 2 GiB archive goes from a lab host through the controller to the NAS over FTP (and is read
// back for the checksum) while the uploading process stays under 200 MB of memory.
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startLab, type Lab } from '@shipshape/testlab';
import { nasDir, nasFtp } from './support/nas.js';

const GiB2 = 2 * 1024 ** 3;
const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '../../..');
let lab: Lab;

beforeAll(async () => {
  lab = await startLab({ id: 42, hosts: [{ name: 'nas1', profile: 'nas' }, { name: 'src1' }] });
  const r = await lab.exec('src1', `mkdir -p /var/lib/vz/dump && truncate -s ${GiB2} /var/lib/vz/dump/big.tar`);
  expect(r.code).toBe(0);
});
afterAll(async () => {
  await lab?.stop();
});

function runChild(arg: unknown): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'support/upload-child.ts'), JSON.stringify(arg)], {
      cwd: repo, // tsx reads the root tsconfig.json, which maps @shipshape/* to the sources
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

it('uploads a 2 GiB archive with a peak RSS under 200 MB', async () => {
  const r = await runChild({
    connection: lab.hostSpec('src1').connection,
    path: '/var/lib/vz/dump/big.tar',
    dest: nasFtp(lab, 'nas1', '/big'),
    name: 'big.tar',
  });
  expect(r.stderr.split('\n').filter((l) => /Error|error/.test(l))).toEqual([]);
  expect(r.code).toBe(0);
  const out = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { result: { bytes: number; verified: string; via: string }; baselineKb: number; peakRssKb: number };
  expect(out.result).toMatchObject({ bytes: GiB2, verified: 'checksum', via: 'controller' });
  expect(statSync(nasDir(lab, 'nas1', 'big/big.tar')).size).toBe(GiB2);
  console.log(`2 GiB upload + read-back checksum: child RSS ${(out.baselineKb / 1024).toFixed(1)} MiB before, peak ${(out.peakRssKb / 1024).toFixed(1)} MiB`);
  expect(out.peakRssKb * 1024).toBeLessThan(200 * 1000 * 1000);
}, 600_000);

import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { useLab } from '../support/lab.js';

const repo = process.cwd();
const lab = useLab({ id: 73, hosts: 1 });

describe('@shipshape/core as an npm package', () => {
  it('packs, installs into a project outside the monorepo, and runs a custom module over SSH', () => {
    const work = mkdtempSync(join(tmpdir(), 'ss-pack-'));
    // `npm test` builds every package first (turbo), so dist/ is current.
    execFileSync('npm', ['pack', '--silent', '--pack-destination', work, '-w', 'packages/core'], { cwd: repo });
    const tgz = readdirSync(work).find((f) => f.endsWith('.tgz'))!;
    const project = join(work, 'project');
    execFileSync('mkdir', ['-p', project]);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    execFileSync('npm', ['install', '--silent', '--no-audit', '--no-fund', join(work, tgz)], { cwd: project });
    const spec = lab.hostSpec(lab.hosts[0]!.name);
    writeFileSync(join(project, 'main.js'), `
import { defineModule, noChange, changes, playbook, run, staticInventory, z } from '@shipshape/core';
const banner = defineModule({
  name: 'banner', description: 'write a banner',
  schema: z.object({ text: z.string() }),
  gather: (h) => h.readFile('/etc/banner-from-package'),
  plan: (a, f) => f.content?.toString() === a.text ? noChange('banner set')
    : changes('banner written', [{ kind: 'write', path: '/etc/banner-from-package', content: a.text }]),
});
const inventory = staticInventory([${JSON.stringify(spec)}]);
const pb = playbook({ name: 'pkg', tasks: [banner({ text: 'from a packed core\\n' })] });
const first = await run(pb, { inventory });
const second = await run(pb, { inventory });
console.log(JSON.stringify([first.stats, second.stats]));
`);
    const out = execFileSync('node', ['main.js'], { cwd: project }).toString();
    const [first, second] = JSON.parse(out) as Record<string, { changed: number; failed: number }>[];
    const name = lab.hosts[0]!.name;
    expect(first![name]).toMatchObject({ changed: 1, failed: 0 });
    expect(second![name]).toMatchObject({ changed: 0, failed: 0 });
    expect(readFileSync(join(lab.hosts[0]!.root, 'etc/banner-from-package'), 'utf8')).toBe('from a packed core\n');
  }, 180_000);
});

describe('@shipshape/cli as an npm package', () => {
  it('installs into another project with its `shipshape` bin, which runs a playbook of that project', () => {
    const work = mkdtempSync(join(tmpdir(), 'ss-pack-cli-'));
    const packages = readdirSync(join(repo, 'packages'));
    for (const p of packages) execFileSync('npm', ['pack', '--silent', '--pack-destination', work, '-w', `packages/${p}`], { cwd: repo });
    const project = join(work, 'project');
    execFileSync('mkdir', ['-p', join(project, 'sub')]);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    const tgzs = readdirSync(work).filter((f) => f.endsWith('.tgz')).map((f) => join(work, f));
    execFileSync('npm', ['install', '--silent', '--no-audit', '--no-fund', ...tgzs], { cwd: project });
    writeFileSync(join(project, 'pb.ts'), `
import { playbook } from '@shipshape/core';
import { copy } from '@shipshape/builtin';
import { useLab } from '../support/lab.js';
export default playbook({ name: 'consumer', hosts: 'all', tasks: [copy({ dest: '/root/from-packed-cli.txt', content: 'hi\\n' })] });
`);
    const shipshape = (cwd: string, ...args: string[]) => execFileSync('npx', ['shipshape', ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(shipshape(join(project, 'sub'), '--help')).toMatch(/shipshape run <playbook>/);
    expect(shipshape(project, 'run', 'pb.ts', '-i', lab.inventoryPath)).toMatch(/: ok=1 +changed=1 +unreachable=0 +failed=0/);
    expect(shipshape(project, 'run', 'pb.ts', '-i', lab.inventoryPath)).toMatch(/: ok=1 +changed=0 +unreachable=0 +failed=0/);
    expect(readFileSync(join(lab.hosts[0]!.root, 'root/from-packed-cli.txt'), 'utf8')).toBe('hi\n');
  }, 300_000);
});

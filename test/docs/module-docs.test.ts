import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// The module reference in the package READMEs and `shipshape doc`'s examples are generated from the
// modules' schemas and TSDoc (scripts/module-docs.mjs, after `npm run build`): they must be current.
const repo = process.cwd();

describe('the generated module reference', () => {
  it('is what scripts/module-docs.mjs writes from the built modules', () => {
    const r = spawnSync('node', ['scripts/module-docs.mjs', '--check'], { cwd: repo, encoding: 'utf8' });
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
  });

  it('lists every option of a module with its type, default, aliases and description', () => {
    const readme = readFileSync(join(repo, 'packages/builtin/README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### lineinfile'), readme.indexOf('### package'));
    expect(section).toContain("`import { lineinfile } from '@shipshape/builtin'`");
    expect(section).toMatch(/^\| `path` \(required\)<br>aliases: `dest`, `destfile`, `name` \| str \| {2}\| The file to edit\. \|$/m);
    expect(section).toMatch(/^\| `backrefs` \| bool \| `false` \| Expand regexp groups in `line`.* \|$/m);
    expect(section).toContain("lineinfile({ path: '/etc/ssh/sshd_config'");
  });

  it('documents the suboptions of a dict option', () => {
    const readme = readFileSync(join(repo, 'packages/proxmox/README.md'), 'utf8');
    expect(readme).toMatch(/^\| `offsite\.keep` \(required\) \| int \| {2}\| Generations kept/m);
  });
});

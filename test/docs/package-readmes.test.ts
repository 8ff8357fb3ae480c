import { describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// Every package has a README a user can start from: what it is, how to install it, an example whose
// code is a file of docs/examples/packages/ (type-checked by `npm run typecheck`, so it compiles against
// the current API), and, for a package with modules, the generated module reference (module-docs.test.ts).
const repo = process.cwd();
const packages = readdirSync(join(repo, 'packages')).filter((p) => existsSync(join(repo, 'packages', p, 'package.json'))).sort();

describe.each(packages)('packages/%s/README.md', (pkg) => {
  const file = join(repo, 'packages', pkg, 'README.md');
  const text = () => readFileSync(file, 'utf8');

  it('exists and says what the package is', () => {
    expect(existsSync(file)).toBe(true);
    expect(text()).toMatch(new RegExp(`^# @shipshape/${pkg}\\n\\n\\S`));
  });

  it('says how to install it', () => {
    const install = /\n## Install\n([\s\S]*?)(?=\n## |$)/.exec(text())?.[1] ?? '';
    expect(install).toMatch(/npm install [^\n`]*@shipshape\/(cli|\S+)/);
    expect(install).toMatch(new RegExp(`@shipshape/(${pkg}|cli)\\b`));
  });

  it('has an example that is a checked file of docs/examples/packages', () => {
    const shown = [...text().matchAll(/```ts\n\/\/ (docs\/examples\/packages\/[\w.-]+\.ts)\n[\s\S]*?```/g)];
    expect(shown.length).toBeGreaterThan(0);
    for (const m of shown) {
      const block = m[0].slice('```ts\n'.length, -'```'.length);
      expect({ file: m[1], same: readFileSync(join(repo, m[1]!), 'utf8') === block }).toEqual({ file: m[1], same: true });
    }
  });
});

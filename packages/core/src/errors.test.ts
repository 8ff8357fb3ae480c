/** One error class with a closed code union, and one place that turns exceptions into failed results. */
import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CommandError, ModuleError, errorMessage } from './errors.js';
import { failedResult } from './internal/execute.js';

/** Every non-test source file of every package. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'fixtures' || e.name === 'node_modules' ? [] : sources(p);
    return /\.ts$/.test(e.name) && !/\.test\.ts$|\.typecheck\.ts$/.test(e.name) ? [p] : [];
  });
}

describe('errors', () => {
  it('every error the packages throw is a ShipshapeError (no plain Error, no class of its own outside it)', () => {
    const root = join(process.cwd(), 'packages');
    const offenders = readdirSync(root).flatMap((pkg) => sources(join(root, pkg, 'src'))).flatMap((f) =>
      readFileSync(f, 'utf8').split('\n').flatMap((line, i) =>
        /\bnew (Type|Range)?Error\(|\bextends Error\b|\bthrow Error\(/.test(line) && !f.endsWith('core/src/errors.ts') ? [`${f.slice(root.length + 1)}:${i + 1}`] : []));
    expect(offenders).toEqual([]);
  });

  it('turns a failed command into a failed result with its exit code, output and masked command', () => {
    const e = new CommandError('web1', 'systemctl restart nginx', 3, 'out', 'Job failed');
    expect(failedResult(e)).toEqual({
      status: 'failed', changed: false, msg: e.message, stdout: 'out', stderr: 'Job failed', rc: 3, data: { cmd: 'systemctl restart nginx' },
    });
  });

  it("shows a shipshape error's message alone, any other error with its class name", () => {
    expect(errorMessage(new ModuleError('no free id'))).toBe('no free id');
    expect(errorMessage(new TypeError('x is undefined'))).toBe('TypeError: x is undefined');
    expect(failedResult('boom', (m) => `escaped: ${m}`)).toEqual({ status: 'failed', changed: false, msg: 'escaped: boom' });
  });
});

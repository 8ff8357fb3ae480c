/** Walks fixtures/<module>/*.json: { args, before, after, changed, error?, msg?, mode? } per file. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { runEditCase } from './run-case.js';

interface Fixture {
  readonly args: Record<string, unknown>;
  readonly before: string | null;
  readonly after?: string | null;
  readonly changed?: boolean;
  readonly error?: string;
  readonly msg?: string;
  readonly mode?: string;
  /** Ansible itself is not idempotent here (e.g. blockinfile on a CRLF file); skip the second-run check. */
  readonly notIdempotent?: boolean;
}

/** The fixture's args, with a default path unless the fixture names one (or an alias of it). */
const withPath = (args: Record<string, unknown>): Record<string, unknown> =>
  ['path', 'dest', 'destfile', 'name'].some((k) => k in args) ? args : { path: '/etc/test.conf', ...args };

const root = fileURLToPath(new URL('./fixtures', import.meta.url));

for (const mod of readdirSync(root)) {
  describe(mod, () => {
    for (const file of readdirSync(join(root, mod)).filter((f) => f.endsWith('.json')).sort()) {
      const fx = JSON.parse(readFileSync(join(root, mod, file), 'utf8')) as Fixture;
      it(file.replace(/\.json$/, ''), () => {
        const before = fx.before === null ? null : Buffer.from(fx.before, 'utf8');
        const out = runEditCase(mod, withPath(fx.args), before, fx.mode);
        if (fx.error !== undefined) {
          expect(out.error).toContain(fx.error);
          return;
        }
        expect(out.error).toBeUndefined();
        expect(out.after === null ? null : out.after.toString('utf8')).toBe(fx.after === undefined ? fx.before : fx.after);
        expect(out.changed).toBe(fx.changed);
        if (fx.msg !== undefined) expect(out.msg).toBe(fx.msg);
        // idempotency: applying the module again to its own output changes nothing
        if (out.changed && out.after !== null && !fx.notIdempotent && fx.args.mode === undefined) {
          expect(runEditCase(mod, withPath(fx.args), out.after, fx.mode).changed).toBe(false);
        }
      });
    }
  });
}

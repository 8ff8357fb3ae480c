// Walks fixtures/plans/*.json: { plan, args, facts, expected: { changed, msg?, commands? } | error }.
// Args go through the module's schema first, as the runner does.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { parseArgs, type Change, type ModuleDef } from '@shipshape/core';
import { backupConfig } from './backup.js';
import { maintenanceMode } from './maintenance.js';
import { persistConfig } from './persist.js';
import { restoreConfig } from './restore.js';
import { sshdSettings } from './sshd.js';
import { vm } from './vm.js';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'plans');
const modules: Record<string, ModuleDef> = {
  maintenanceMode: maintenanceMode.module,
  persistConfig: persistConfig.module,
  backupConfig: backupConfig.module,
  restoreConfig: restoreConfig.module,
  vm: vm.module,
  sshdSettings: sshdSettings.module,
};
const show = (c: Change) => (c.kind === 'exec' ? c.command.display : c.kind === 'call' ? c.describe : `write ${c.path}`);

describe('ESXi module plans', () => {
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    const c = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as {
      plan: string; args: unknown; facts: unknown; error?: string;
      expected?: { changed: boolean; msg?: string; commands?: string[] };
    };
    it(file, () => {
      const m = modules[c.plan]!;
      const plan = () => m.plan(parseArgs(m, c.args, file), c.facts);
      if (c.error !== undefined) return expect(plan).toThrow(c.error);
      const p = plan();
      expect(p.changed).toBe(c.expected!.changed);
      if (c.expected!.msg !== undefined) expect(p.msg).toBe(c.expected!.msg);
      if (c.expected!.commands) expect(p.changed && p.changes.map(show)).toEqual(c.expected!.commands);
    });
  }
});

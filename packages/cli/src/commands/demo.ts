import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { run } from '@shipshape/core';
import { EXIT, openInventory } from '../execute.js';
import { loadPlaybook } from '../load.js';
import { plainReporter } from '../reporters/plain.js';
import { makeChalk } from '../reporters/style.js';
import { testlab, writeLabFiles } from './lab.js';

/** Lab hosts per profile for the demo; profiles not (yet) in the testlab are left out. */
export const DEMO_HOSTS: Readonly<Record<string, number>> = { debian: 2, busybox: 1, esxi: 2, openvz: 1, xen: 2, nas: 1, proxmox: 1 };
export const DEMO_LAB_ID = 201;

/**
 * The main job: start the lab, run every playbook in playbooks/ twice (the first shows the changes,
 * the second must show none), print the recaps, stop the lab. The playbooks get what `shipshape run
 * -i $(shipshape lab inventory)` gets: the lab's inventory with its group_vars and vault, no -e.
 */
export async function demoCommand(a: { playbooks?: string; verbose?: number }): Promise<number> {
  // ESM loaded on demand (the CLI bundle is CommonJS; see bundle.mjs).
  const { listProfiles, startLab } = await testlab();
  const dir = resolve(a.playbooks ?? 'playbooks');
  const files = (await readdir(dir)).filter((f) => f.endsWith('.ts')).sort();
  const profiles = new Set(listProfiles().map((p) => p.name));
  const hosts = Object.entries(DEMO_HOSTS)
    .filter(([p]) => profiles.has(p))
    .flatMap(([p, n]) => Array.from({ length: n }, (_, i) => ({ name: `${p}${i + 1}`, profile: p })));
  const chalk = makeChalk(process.stdout);
  const say = (s: string) => process.stdout.write(`${s}\n`);
  say(chalk.bold(`shipshape demo: ${files.length} playbooks, lab of ${hosts.length} hosts (${[...new Set(hosts.map((h) => h.profile))].join(', ')})`));
  const lab = await startLab({ id: DEMO_LAB_ID, hosts });
  const problems: string[] = [];
  try {
    await writeLabFiles(lab);
    for (const f of files) {
      const file = join(dir, f);
      const pb = await loadPlaybook(file);
      for (const pass of [1, 2]) {
        say(chalk.bold(`\n===== ${f}: run ${pass} of 2 ${pass === 1 ? '(changes expected)' : '(must change nothing)'} =====`));
        const inventory = await openInventory({ inventory: [lab.inventoryPath] }, {}, file);
        const s = await run(pb, { inventory, playbookDir: dir, onEvent: plainReporter({ write: say, chalk, verbosity: a.verbose ?? 0, diff: false }) });
        const changed = Object.values(s.stats).reduce((n, x) => n + x.changed, 0);
        if (!s.ok) problems.push(`${f} run ${pass}: failed on ${[...s.failedHosts, ...s.unreachableHosts].join(', ')}`);
        if (pass === 2 && changed > 0) problems.push(`${f} run 2: ${changed} changes (expected none)`);
      }
    }
  } finally {
    await lab.stop();
  }
  say('');
  if (problems.length) {
    for (const p of problems) say(chalk.red(`demo problem: ${p}`));
    return EXIT.failed;
  }
  say(chalk.green(`demo ok: ${files.length} playbooks converged, second runs changed nothing`));
  return EXIT.ok;
}

import yargs, { type Argv } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { ArgumentError, DEFAULT_TASK_TIMEOUT_S, maskSecrets } from '@shipshape/core';
import { runCommand } from './commands/run.js';
import { EXIT, inventorySources, vaultPasswordFiles } from './execute.js';
import { parseExtraVars } from './load.js';
import { saneColumns } from './terminal.js';

const list = (v: unknown) => (v === undefined ? undefined : (Array.isArray(v) ? v : [v]).flatMap((x) => String(x).split(',')).filter(Boolean));

/** What every command that reads an inventory takes (`inventory` takes only these). */
function inventoryOptions<T>(y: Argv<T>) {
  return y
    // nargs 1: `-i inv all` names an inventory and then the pattern, as with Ansible's CLI.
    .option('inventory', { alias: 'i', type: 'string', array: true, nargs: 1, describe: 'inventory file, directory or script (repeatable)' })
    .option('limit', { alias: 'l', type: 'string', describe: 'further limit hosts to a pattern (@file reads patterns from a file)' })
    .option('extra-vars', { alias: 'e', type: 'string', array: true, nargs: 1, describe: 'k=v, @file.json|yaml, or JSON' })
    .option('vault-password-file', { type: 'string', describe: 'file holding the Ansible Vault password' })
    .option('vault-id', { type: 'string', array: true, nargs: 1, describe: 'vault identity [label@]FILE (repeatable); every one is tried' });
}

function common<T>(y: Argv<T>) {
  return inventoryOptions(y)
    .option('forks', { alias: 'f', type: 'string', describe: 'hosts worked on at once', coerce: wholeNumber('--forks', 1) })
    .option('task-timeout', { type: 'string', describe: `seconds a task may run on one host before it fails; 0: no limit (default ${DEFAULT_TASK_TIMEOUT_S})`, coerce: wholeNumber('--task-timeout', 0) })
    .option('check', { alias: 'C', type: 'boolean', describe: 'plan only, change nothing' })
    .option('diff', { alias: 'D', type: 'boolean', describe: 'show file changes as diffs' })
    .option('json', { type: 'boolean', describe: 'print one JSON document on stdout' })
    .option('show-secrets', { type: 'boolean', describe: 'tasks that deliver a secret (a new Xen guest\'s root password) also print it once on stderr; never in events or --json' })
    .option('verbose', { alias: 'v', type: 'count', describe: '-v commands, -vv output, -vvv connection detail' })
    .option('connection', { alias: 'c', type: 'string', choices: ['ssh', 'smart', 'paramiko', 'local'], describe: 'connection type (ansible_connection still wins; default ssh)' })
    .option('user', { alias: 'u', type: 'string', describe: 'connect as this user (ansible_user still wins)' })
    .option('private-key', { alias: 'key-file', type: 'string', describe: 'private key file for the connection' })
    .option('timeout', { alias: 'T', type: 'number', describe: 'connection timeout in seconds' })
    .option('become', { alias: 'b', type: 'boolean', describe: 'run tasks with privilege escalation (sudo)' })
    .option('become-user', { type: 'string', describe: 'user to become (default root)' })
    .option('become-method', { type: 'string', describe: 'privilege escalation method (sudo)' })
    .option('ask-become-pass', { alias: 'K', type: 'boolean', describe: 'ask for the become password on the terminal' })
    .option('syntax-check', { type: 'boolean', describe: 'load and check the playbook and the inventory, touch no host' });
}

/** A numeric option: a whole number of at least `min`, or a usage error naming the option and the value. */
function wholeNumber(option: string, min: number) {
  return (v: unknown): number | undefined => {
    if (v === undefined) return undefined;
    const text = String(Array.isArray(v) ? v[v.length - 1] : v).trim();
    if (!/^\d+$/.test(text) || Number(text) < min) throw new ArgumentError(`${option} must be a whole number of at least ${min}, got ${JSON.stringify(text)}`, option, text);
    return Number(text);
  };
}

/** A duration option: a number of seconds above 0. */
function positiveNumber(option: string) {
  return (v: unknown): number | undefined => {
    if (v === undefined) return undefined;
    const text = String(Array.isArray(v) ? v[v.length - 1] : v).trim();
    if (!/^\d+(\.\d+)?$/.test(text) || Number(text) <= 0) throw new ArgumentError(`${option} must be a number of seconds above 0, got ${JSON.stringify(text)}`, option, text);
    return Number(text);
  };
}

/** Parse argv and run the command; resolves to the process exit code. */
export async function main(argv: string[]): Promise<number> {
  let code: number = EXIT.ok;
  if (argv.includes('--version')) {
    process.stdout.write(`${(await import('./version.js')).versionText()}\n`);
    return EXIT.ok;
  }
  const cli = yargs(argv)
    .scriptName('shipshape')
    .strict()
    .demandCommand(1, 'name a command')
    .command('run <playbook>', 'run a playbook', (y) =>
      common(y).positional('playbook', { type: 'string', demandOption: true })
        .option('tags', { alias: 't', type: 'string', array: true })
        .option('skip-tags', { type: 'string', array: true })
        .option('start-at-task', { type: 'string' })
        .option('list-hosts', { type: 'boolean' })
        .option('list-tasks', { type: 'boolean' })
        .option('list-tags', { type: 'boolean' })
        .option('queue', { type: 'string', describe: 'run through a Redis queue served by shipshape workers: redis://[user:pass@]host:port[/db] or rediss://' })
        .option('slice-size', { type: 'string', describe: 'hosts per queued slice (default: spread over the live workers)', coerce: wholeNumber('--slice-size', 1) })
        .option('queue-timeout', { type: 'string', describe: 'seconds Redis may stay away before the run fails (default 60)', coerce: positiveNumber('--queue-timeout') })
        .option('queue-ca', { type: 'string', describe: 'with rediss://: the CA certificate file (PEM) the server\'s certificate must be issued by' }),
      async (a) => {
        code = await runCommand({ ...a, playbook: a.playbook!, tags: list(a.tags), skipTags: list(a.skipTags), extraVars: a.extraVars });
      })
    .command('worker', 'serve slices of queued runs (shipshape run --queue)', (y) =>
      y.option('queue', { type: 'string', demandOption: true, describe: 'redis://[user:pass@]host:port[/db] or rediss://' })
        .option('queue-ca', { type: 'string', describe: 'with rediss://: the CA certificate file (PEM) the server\'s certificate must be issued by' })
        .option('concurrency', { type: 'string', describe: 'slices worked on at once (default 1)', coerce: wholeNumber('--concurrency', 1) })
        .option('name', { type: 'string', describe: 'worker name (default HOSTNAME-PID)' })
        .option('tags', { type: 'string', array: true, describe: 'also serve slices of hosts pinned to these tags (shipshape_worker_tag)' })
        .option('vault-password-file', { type: 'string', describe: "this worker's Ansible Vault password, for the inventory's !vault values" })
        .option('stall-timeout', { type: 'string', describe: 'seconds after which the slice of a worker that stopped answering is run again elsewhere (default 30)', coerce: positiveNumber('--stall-timeout') }),
      async (a) => {
        const { workerCommand } = await import('./commands/worker.js');
        code = await workerCommand({ ...a, queue: a.queue, tags: list(a.tags) });
      })
    .command('queue <action>', 'the queue of shipshape run --queue: status', (y) =>
      y.positional('action', { choices: ['status'] as const, demandOption: true })
        .option('queue', { type: 'string', demandOption: true, describe: 'redis://[user:pass@]host:port[/db] or rediss://' })
        .option('queue-ca', { type: 'string', describe: 'with rediss://: the CA certificate file (PEM) the server\'s certificate must be issued by' })
        .option('json', { type: 'boolean', describe: 'print JSON' }),
      async (a) => {
        const { queueStatusCommand } = await import('./commands/worker.js');
        code = await queueStatusCommand({ queue: a.queue, queueCa: a.queueCa, json: a.json });
      })
    .command('adhoc <pattern>', 'run one module on matching hosts', (y) =>
      common(y).positional('pattern', { type: 'string', demandOption: true })
        .option('module', { alias: 'm', type: 'string', default: 'command', describe: 'module name' })
        .option('args', { alias: 'a', type: 'string', describe: "module arguments: free-form for command/shell/raw ('uname -a'), key=value words ('path=/etc/motd state=absent') or JSON" }),
      async (a) => {
        const { adhocCommand } = await import('./commands/adhoc.js');
        code = await adhocCommand({ ...a, pattern: a.pattern!, module: a.module, extraVars: a.extraVars });
      })
    .command('facts <pattern>', 'print gathered facts as ansible -m setup does', (y) => common(y).positional('pattern', { type: 'string', demandOption: true })
      .option('filter', { type: 'string', array: true, describe: 'only facts whose names match these globs (ansible_distribution*)' }),
      async (a) => {
        const { factsCommand } = await import('./commands/facts.js');
        code = await factsCommand({ ...a, pattern: a.pattern!, filter: list(a.filter) });
      })
    .command('inventory', 'show an inventory like ansible-inventory', (y) =>
      inventoryOptions(y)
        .option('list', { type: 'boolean', describe: 'every group and host with their vars, as JSON' })
        .option('host', { type: 'string', describe: "one host's vars, as JSON" })
        .option('graph', { type: 'string', describe: 'the group tree, from GROUP (default all)' })
        .option('list-hosts', { type: 'boolean', describe: 'the hosts matching --limit' })
        .check((a) => (a.list || a.host || a.graph !== undefined || a.listHosts ? true : 'one of --list, --host, --graph, --list-hosts is required')),
      async (a) => {
        const extraVars = await parseExtraVars(a.extraVars ?? []);
        const { inventoryCommand } = await import('@shipshape/inventory');
        const { loadAnsibleConfig } = await import('./config.js');
        const cfg = loadAnsibleConfig();
        const inventory = inventorySources(a.inventory?.length ? a.inventory : cfg.inventory);
        const out = await inventoryCommand({
          inventory, list: a.list, host: a.host, graph: a.graph === undefined ? undefined : a.graph || true, listHosts: a.listHosts,
          limit: a.limit, extraVars, vaultPasswordFile: vaultPasswordFiles(inventory, a, cfg), onWarning: (w) => process.stderr.write(`[WARNING]: ${w}\n`),
        });
        process.stdout.write(out.endsWith('\n') ? out : `${out}\n`);
      })
    .command('doc [module]', 'list modules, or show one module\'s options like ansible-doc', (y) =>
      y.positional('module', { type: 'string', describe: 'module name (without it: every module with its description)' }),
      async (a) => {
        const { docCommand } = await import('./commands/doc.js');
        process.stdout.write(`${await docCommand({ module: a.module })}\n`);
      })
    .command('lab <action>', 'the test lab: up, down, inventory', (y) =>
      y.positional('action', { choices: ['up', 'down', 'inventory'] as const, demandOption: true })
        .option('hosts', { type: 'number', default: 2, describe: 'hosts per profile' })
        .option('profile', { type: 'string', array: true, describe: 'esxi, openvz, xen, nas, busybox, debian (repeatable)' })
        .option('id', { type: 'number', describe: 'lab id 1..254 (default: $SHIPSHAPE_LAB_ID, else 200)' }),
      async (a) => {
        // Command modules load on demand: start-up time is part of every run.
        const { defaultLabId, labDown, labInventory, labUp } = await import('./commands/lab.js');
        const id = a.id ?? defaultLabId();
        if (a.action === 'up') process.stdout.write(`${await labUp(list(a.profile) ?? [], a.hosts, id)}\n`);
        else if (a.action === 'down') await labDown(id);
        else process.stdout.write(`${await labInventory(id)}\n`);
      })
    .command('rescue <action> <policy>', 'the rescue watcher: watch (fence and fail over), status, pause, resume', (y) =>
      y.positional('action', { choices: ['watch', 'status', 'pause', 'resume'] as const, demandOption: true })
        .option('inventory', { alias: 'i', type: 'string', array: true, nargs: 1, describe: 'watch: inventory file, directory or script (repeatable)' })
        .option('vault-password-file', { type: 'string', describe: 'watch: file holding the Ansible Vault password (vaulted bmc_password)' })
        .option('json', { type: 'boolean', describe: 'status: print the state as JSON' })
        .positional('policy', { type: 'string', demandOption: true, describe: 'the policy file (TypeScript, default export definePolicy({...}))' })
        .option('rounds', { type: 'string', describe: 'watch: stop after N probe rounds (default: until SIGINT/SIGTERM)', coerce: wholeNumber('--rounds', 1) })
        .option('reason', { type: 'string', describe: 'pause: why (shown by status)' }),
      async (a) => {
        const r = await import('./commands/rescue.js');
        if (a.action === 'watch') code = await r.rescueWatch({ ...a, policy: a.policy! });
        else if (a.action === 'status') code = await r.rescueStatus({ policy: a.policy!, json: a.json });
        else code = await r.rescuePause({ policy: a.policy!, pause: a.action === 'pause', reason: a.reason });
      })
    .command('demo', 'start the lab, run every playbook twice, stop the lab', (y) =>
      y.option('playbooks', { type: 'string', default: 'playbooks' }).option('verbose', { alias: 'v', type: 'count' }),
      async (a) => {
        const { demoCommand } = await import('./commands/demo.js');
        code = await demoCommand(a);
      })
    .fail((msg, err, y) => {
      if (err) throw err;
      process.stderr.write(`${msg}\n\n`);
      y.showHelp();
      code = EXIT.usage;
      throw new UsageError(msg);
    })
    .help()
    .version(false)
    // Handled before parsing (any command line holding --version prints it); listed here for --help.
    .option('version', { type: 'boolean', describe: 'print the version, the config file used and the node version' });
  skipHelpCache(cli);
  try {
    await cli.parseAsync();
  } catch (e) {
    if (e instanceof UsageError) return EXIT.usage;
    process.stderr.write(`ERROR! ${maskSecrets(e instanceof Error ? e.message : String(e))}\n`);
    return EXIT.usage;
  }
  return code;
}

/** yargs refused the command line (its message and the help are already printed). */
class UsageError extends ArgumentError {}

/** The shipshape binary: run the command line of this process and set its exit code. */
export function runBinary(): void {
  saneColumns(process.stdout);
  saneColumns(process.stderr);
  let settled = false;
  // Node exits when nothing is left to wait for, even while a promise is pending: a run that ends
  // so (something it awaited can never happen) must not look like success.
  process.once('beforeExit', () => {
    if (settled) return;
    process.stderr.write('ERROR! the run ended before it finished: it waited for something that can never happen (a promise that never settles)\n');
    process.exitCode = EXIT.usage;
  });
  main(hideBin(process.argv)).then(
    (code) => {
      settled = true;
      process.exitCode = code;
    },
    (e) => {
      settled = true;
      process.stderr.write(`ERROR! ${maskSecrets(e instanceof Error ? e.message : String(e))}\n`);
      process.exitCode = 1;
    },
  );
}

type WithUsage = { getInternalMethods?(): { getUsageInstance?(): { cacheHelpMessage?: () => void } } };

/**
 * yargs renders the command's whole help text right after starting its handler, in case a later
 * failure prints help (~5 ms before the first connection). Ours never does: validation runs before
 * the handler (builders and checks are synchronous) and fail() rethrows handler errors without help.
 */
function skipHelpCache(cli: unknown): void {
  const usage = (cli as WithUsage).getInternalMethods?.().getUsageInstance?.();
  if (usage?.cacheHelpMessage) usage.cacheHelpMessage = () => undefined;
}

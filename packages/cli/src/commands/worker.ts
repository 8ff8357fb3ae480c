import { readFileSync } from 'node:fs';
import { ArgumentError, InventoryError, maskSecrets } from '@shipshape/core';
import type { QueueTarget } from '@shipshape/fleet';
import { decryptVault, readVaultPassword, VaultValue } from '@shipshape/inventory';
import { loadAnsibleConfig } from '../config.js';
import { EXIT, vaultPasswordFileFor } from '../execute.js';
import { loadBundle } from '../portable.js';

/** `--queue URL [--queue-ca FILE]` as the fleet package takes it. */
export async function queueTarget(url: string, caFile: string | undefined): Promise<QueueTarget> {
  const fleet = await import('@shipshape/fleet');
  let ca: string | undefined;
  if (caFile !== undefined) {
    try {
      ca = readFileSync(caFile, 'utf8');
    } catch (e) {
      throw new ArgumentError(`--queue-ca ${JSON.stringify(caFile)}: cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, 'queue-ca', caFile);
    }
    if (!ca.includes('-----BEGIN CERTIFICATE-----')) throw new ArgumentError(`--queue-ca ${JSON.stringify(caFile)}: no PEM certificate in it (-----BEGIN CERTIFICATE-----)`, 'queue-ca', caFile);
  }
  return fleet.parseQueueUrl(url, { ca });
}

export interface WorkerArgs {
  readonly queue: string;
  readonly queueCa?: string;
  readonly concurrency?: number;
  readonly name?: string;
  readonly tags?: string[];
  readonly vaultPasswordFile?: string;
  /** Seconds after which the slice of a worker that stopped answering is taken over. */
  readonly stallTimeout?: number;
}

/** `shipshape worker`: serve slices until SIGINT or SIGTERM (running slices finish first; a second signal stops at once). */
export async function workerCommand(a: WorkerArgs): Promise<number> {
  const fleet = await import('@shipshape/fleet');
  const target = await queueTarget(a.queue, a.queueCa);
  const passwordFile = vaultPasswordFileFor([], a.vaultPasswordFile ?? loadAnsibleConfig().vaultPasswordFile);
  const password = passwordFile === undefined ? undefined : readVaultPassword(passwordFile);
  const log = (line: string) => process.stderr.write(`${new Date().toISOString()} ${maskSecrets(line)}\n`);
  const worker = await fleet.startWorker({
    target, name: a.name, tags: a.tags, concurrency: a.concurrency,
    stallTimeoutMs: a.stallTimeout === undefined ? undefined : a.stallTimeout * 1000,
    loadPlaybook: loadBundle,
    unvault: (ciphertext) => {
      if (password === undefined) throw new InventoryError('a !vault value reached this worker, which has no vault password: start it with --vault-password-file (or ANSIBLE_VAULT_PASSWORD_FILE)');
      return new VaultValue(decryptVault(ciphertext, [password]), ciphertext, true);
    },
    log,
  });
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  log(`${signal}: finishing the running slices, taking no new one (again to stop at once)`);
  process.once(signal, () => process.exit(signal === 'SIGTERM' ? EXIT.terminated : EXIT.interrupted));
  await worker.close();
  return EXIT.ok;
}

/** `shipshape queue status`: workers with their tags and load, queued and running slices. */
export async function queueStatusCommand(a: { queue: string; queueCa?: string; json?: boolean; queueTimeout?: number }): Promise<number> {
  const fleet = await import('@shipshape/fleet');
  const target = await queueTarget(a.queue, a.queueCa);
  const status = await fleet.queueStatus(target, (a.queueTimeout ?? 10) * 1000);
  process.stdout.write(`${a.json ? JSON.stringify(status, null, 2) : fleet.renderStatus(target, status)}\n`);
  return EXIT.ok;
}

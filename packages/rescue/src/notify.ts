/**
 * Notifications of the watcher: the policy's command (the event as JSON on stdin, never on the
 * command line) and webhook (the event POSTed as JSON). The event log gets every event anyway.
 */
import { spawn } from 'node:child_process';
import { ShipshapeError } from '@shipshape/core';
import type { RescueEvent } from './decide.js';
import type { RescuePolicy } from './policy.js';
import { eventLine } from './store.js';

function runCommand(argv: readonly string[], input: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), { stdio: ['pipe', 'ignore', 'pipe'] });
    const err: Buffer[] = [];
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new ShipshapeError('COMMAND', `cannot run ${argv[0]}: ${e.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(`${argv[0]} exit 0`);
      else reject(new ShipshapeError('COMMAND', `${argv[0]} ${signal ? `killed (${signal})` : `exit ${code}`}: ${Buffer.concat(err).toString('utf8').trim().slice(0, 200)}`));
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(input);
  });
}

/** Send one event to the policy's command and webhook; resolves to what was done, rejects with what failed. */
export async function sendNotification(policy: RescuePolicy, event: RescueEvent, timeoutMs = 30000): Promise<string> {
  const body = `${eventLine(event)}\n`;
  const done: string[] = [];
  const failed: string[] = [];
  if (policy.notify.command) {
    await runCommand(policy.notify.command, body, timeoutMs).then((d) => done.push(d), (e: Error) => failed.push(e.message));
  }
  if (policy.notify.webhook) {
    const url = policy.notify.webhook;
    await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal: AbortSignal.timeout(timeoutMs) })
      .then((r) => (r.ok ? done.push(`webhook HTTP ${r.status}`) : failed.push(`webhook HTTP ${r.status}`)), (e: Error) => failed.push(`webhook: ${e.message}`));
  }
  if (failed.length) throw new ShipshapeError('COMMAND', failed.join('; '));
  return done.length ? done.join(', ') : 'event log only (no command or webhook in the policy)';
}

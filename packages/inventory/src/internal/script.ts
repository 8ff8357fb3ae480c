/**
 * Dynamic inventory executables: `<script> --list` prints Ansible's JSON; host variables come
 * from `_meta.hostvars`, or from `<script> --host NAME` per host when `_meta.hostvars` is absent.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants, openSync, readSync, closeSync } from 'node:fs';
import { InventoryError } from '@shipshape/core';
import type { InventoryData } from './model.js';
import { isMap, parseScriptGroup } from './yamlinv.js';

/** Ansible's script plugin test: executable, or starts with a shebang. */
export function looksExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    const fd = openSync(file, 'r');
    try {
      const buf = Buffer.alloc(2);
      readSync(fd, buf, 0, 2, 0);
      return buf.toString('latin1') === '#!';
    } finally {
      closeSync(fd);
    }
  }
}

function runScript(file: string, args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (err && typeof err.code !== 'number') {
        reject(new InventoryError(`problem running ${file} ${args.join(' ')} (${err.message})`, file, undefined, { cause: err }));
        return;
      }
      resolve({ stdout, stderr, code: err ? (err.code as unknown as number) : 0 });
    });
  });
}

function parseJson(file: string, text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new InventoryError(`failed to parse ${what} from inventory script: ${(e as Error).message}`, file, undefined, { cause: e });
  }
}

/** `--host` calls run in parallel, but never more than this many processes at once. */
const HOST_CALLS_AT_ONCE = 8;

async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

export async function parseScript(inv: InventoryData, file: string): Promise<void> {
  const res = await runScript(file, ['--list']);
  if (res.code !== 0) {
    throw new InventoryError(`Inventory script had an execution error (exit ${res.code}): ${res.stderr.trim()}`, file);
  }
  const data = parseJson(file, res.stdout, 'the --list output');
  if (!isMap(data)) throw new InventoryError('failed to parse executable inventory script results: needs to be a json dict', file);
  const hostSet = new Set<string>();
  let meta: Record<string, unknown> | undefined;
  for (const [group, gdata] of Object.entries(data)) {
    if (group === '_meta') {
      if (isMap(gdata) && 'hostvars' in gdata) meta = (gdata.hostvars ?? {}) as Record<string, unknown>;
    } else parseScriptGroup(inv, file, group, gdata, hostSet);
  }
  const hosts = [...hostSet];
  const perHost = meta
    ? hosts.map((h) => meta![h] ?? {})
    : await mapLimited(hosts, HOST_CALLS_AT_ONCE, async (h) => {
        const r = await runScript(file, ['--host', h]);
        return r.stdout.trim() === '' ? {} : parseJson(file, r.stdout, `the --host ${h} output`);
      });
  hosts.forEach((h, i) => {
    const vars = perHost[i];
    if (!isMap(vars)) throw new InventoryError(`Improperly formatted host information for ${h}`, file);
    inv.addHost(h);
    for (const [k, v] of Object.entries(vars)) inv.setVariable(h, k, v);
  });
}

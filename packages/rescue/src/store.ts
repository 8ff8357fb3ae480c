/**
 * What the watcher keeps on disk in the policy's state directory: `state.json` (hosts, where the
 * protected VMs run, failovers in progress), `paused` (set by `rescue pause`), `watcher.json` (the
 * running watcher's pid and its last round) and the JSON-lines event log. Files are written to a
 * temp file with their final mode, then renamed: a crash never leaves half a state.
 */
import { existsSync, readFileSync } from 'node:fs';
import { appendFile, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ArgumentError, maskSecrets } from '@shipshape/core';
import { initialState, type RescueEvent, type WatcherState } from './decide.js';
import type { RescuePolicy } from './policy.js';

export interface StorePaths {
  readonly dir: string;
  readonly state: string;
  readonly paused: string;
  readonly watcher: string;
  readonly eventLog: string;
}

/** The files of a policy, its relative paths taken from the policy file's directory. */
export function storePaths(policy: RescuePolicy, policyFile: string): StorePaths {
  const base = path.dirname(path.resolve(policyFile));
  const dir = path.resolve(base, policy.stateDir);
  return {
    dir, state: path.join(dir, 'state.json'), paused: path.join(dir, 'paused'), watcher: path.join(dir, 'watcher.json'),
    eventLog: policy.notify.eventLog ? path.resolve(base, policy.notify.eventLog) : path.join(dir, 'events.jsonl'),
  };
}

async function writeAtomic(file: string, text: string): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, text, { mode: 0o600 });
  await rename(tmp, file);
}

function readJson<T>(file: string): T | undefined {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch (e) {
    throw new ArgumentError(`${file}: not the watcher's JSON (${(e as Error).message}); move it away to start afresh`, 'stateDir', file);
  }
}

export const loadState = (p: StorePaths): WatcherState => ({ ...initialState(), ...readJson<WatcherState>(p.state) });
export async function saveState(p: StorePaths, s: WatcherState): Promise<void> {
  await mkdir(p.dir, { recursive: true, mode: 0o700 });
  await writeAtomic(p.state, `${JSON.stringify(s, null, 2)}\n`);
}

export interface PauseInfo {
  readonly at: string;
  readonly reason?: string;
}
export const pausedInfo = (p: StorePaths): PauseInfo | undefined => readJson<PauseInfo>(p.paused);
export async function setPaused(p: StorePaths, paused: boolean, reason?: string): Promise<void> {
  await mkdir(p.dir, { recursive: true, mode: 0o700 });
  if (paused) await writeAtomic(p.paused, `${JSON.stringify({ at: new Date().toISOString(), ...(reason ? { reason } : {}) })}\n`);
  else await rm(p.paused, { force: true });
}

export interface WatcherInfo {
  readonly pid?: number;
  readonly round: number;
  readonly at?: string;
  readonly startedAt?: string;
}
export const watcherInfo = (p: StorePaths): WatcherInfo | undefined => readJson<WatcherInfo>(p.watcher);
export async function saveWatcherInfo(p: StorePaths, w: WatcherInfo): Promise<void> {
  await mkdir(p.dir, { recursive: true, mode: 0o700 });
  await writeAtomic(p.watcher, `${JSON.stringify(w)}\n`);
}

/** An event as one JSON line (time in ISO form, secrets masked). */
export const eventLine = (e: RescueEvent): string => maskSecrets(JSON.stringify({ time: new Date(e.at).toISOString(), ...e }));

export async function appendEvents(p: StorePaths, events: readonly RescueEvent[]): Promise<void> {
  if (events.length === 0) return;
  await mkdir(path.dirname(p.eventLog), { recursive: true, mode: 0o700 });
  await appendFile(p.eventLog, events.map((e) => `${eventLine(e)}\n`).join(''), { mode: 0o600 });
}

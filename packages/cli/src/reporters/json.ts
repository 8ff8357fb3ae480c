import type { HostStats, Reporter, RunEvent, TaskResult } from '@shipshape/core';
import { NO_LOG_MSG } from './style.js';

/** What `--json` shows of one result (a task on a host, or one loop item). */
export interface JsonResult {
  status: TaskResult['status'] | 'unreachable';
  changed: boolean;
  msg?: string;
  rc?: number;
  stdout?: string;
  stderr?: string;
  diff?: TaskResult['diff'];
  /** The module's own result data. */
  data?: TaskResult['data'];
  ignored?: boolean;
  attempts?: number;
  item?: unknown;
  /** Per-item results of a loop. */
  items?: JsonResult[];
}

export interface JsonTaskResult extends JsonResult {
  task: string;
  host: string;
  play: string;
  /** ISO times the task started and ended on this host. */
  start?: string;
  end?: string;
}

export interface JsonPlay {
  name: string;
  hosts: string[];
  start: string;
  end?: string;
}

export interface JsonDocument {
  playbook: string;
  check: boolean;
  plays: JsonPlay[];
  stats: Record<string, HostStats>;
  results: JsonTaskResult[];
  durationMs: number;
  aborted: boolean;
  /** Queue mode: hosts run again after their worker was lost. */
  retried?: string[];
}

function shown(r: TaskResult, noLog: boolean | undefined): JsonResult {
  if (noLog) return { status: r.status, changed: r.changed, msg: NO_LOG_MSG, ...(r.ignored ? { ignored: true } : {}) };
  return {
    status: r.status, changed: r.changed, msg: r.msg,
    ...(r.rc !== undefined ? { rc: r.rc } : {}),
    ...(r.stdout !== undefined ? { stdout: r.stdout } : {}),
    ...(r.stderr !== undefined ? { stderr: r.stderr } : {}),
    ...(r.diff?.length ? { diff: r.diff } : {}),
    ...(r.data && Object.keys(r.data).length ? { data: r.data } : {}),
    ...(r.ignored ? { ignored: true } : {}),
    ...(r.attempts !== undefined ? { attempts: r.attempts } : {}),
    ...('item' in r ? { item: r.item } : {}),
    ...(r.results ? { items: r.results.map((x) => shown(x, false)) } : {}),
  };
}

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

/** Collects events into the single JSON document `--json` prints. */
export function jsonCollector(): { reporter: Reporter; document(): JsonDocument } {
  const doc: JsonDocument = { playbook: '', check: false, plays: [], stats: {}, results: [], durationMs: 0, aborted: false };
  let play: JsonPlay | undefined;
  const reporter = (e: RunEvent) => {
    if (e.type === 'run:start') {
      doc.playbook = e.playbook;
      doc.check = e.check;
    } else if (e.type === 'play:start') {
      play = { name: e.play, hosts: [...e.hosts], start: new Date().toISOString() };
      doc.plays.push(play);
    } else if (e.type === 'play:end') {
      if (play) play.end = new Date().toISOString();
    } else if (e.type === 'host:result') {
      doc.results.push({ task: e.task, host: e.host, ...(e.delegate ? { delegate: e.delegate } : {}), play: play?.name ?? '', ...shown(e.result, e.noLog), start: iso(e.start), end: iso(e.end) });
    } else if (e.type === 'host:unreachable') {
      doc.results.push({ task: e.task ?? 'connect', host: e.host, play: play?.name ?? '', status: 'unreachable', changed: false, msg: `${e.reason}: ${e.msg}` });
    } else if (e.type === 'run:end') {
      doc.stats = { ...e.stats };
      doc.durationMs = e.durationMs;
      doc.aborted = !!e.aborted;
      if (e.retried?.length) doc.retried = [...e.retried];
    }
  };
  return { reporter, document: () => doc };
}

import type { HostStats, Reporter, RunEvent, TaskResult } from '@shipshape/core';
import { NO_LOG_MSG } from './style.js';

export interface JsonDocument {
  playbook: string;
  check: boolean;
  stats: Record<string, HostStats>;
  results: { task: string; host: string; status: TaskResult['status'] | 'unreachable'; changed: boolean; msg?: string; diff?: TaskResult['diff']; stdout?: string; rc?: number }[];
  durationMs: number;
  aborted: boolean;
}

/** Collects events into the single JSON document `--json` prints. */
export function jsonCollector(): { reporter: Reporter; document(): JsonDocument } {
  const doc: JsonDocument = { playbook: '', check: false, stats: {}, results: [], durationMs: 0, aborted: false };
  const reporter = (e: RunEvent) => {
    if (e.type === 'run:start') {
      doc.playbook = e.playbook;
      doc.check = e.check;
    } else if (e.type === 'host:result') {
      const r = e.result;
      doc.results.push({
        task: e.task, host: e.host, status: r.status, changed: r.changed,
        msg: e.noLog ? NO_LOG_MSG : r.msg,
        ...(r.diff?.length && !e.noLog ? { diff: r.diff } : {}),
        ...(r.stdout !== undefined && !e.noLog ? { stdout: r.stdout } : {}),
        ...(r.rc !== undefined ? { rc: r.rc } : {}),
      });
    } else if (e.type === 'host:unreachable') {
      doc.results.push({ task: e.task ?? 'connect', host: e.host, status: 'unreachable', changed: false, msg: `${e.reason}: ${e.msg}` });
    } else if (e.type === 'run:end') {
      doc.stats = { ...e.stats };
      doc.durationMs = e.durationMs;
      doc.aborted = !!e.aborted;
    }
  };
  return { reporter, document: () => doc };
}

import type { Reporter, RunEvent } from '@shipshape/core';
import type { SliceMessage, SliceSummary } from './protocol.js';

interface Unit {
  readonly play: number;
  readonly events: RunEvent[];
}

interface SliceState {
  attempt: number;
  play: number;
  donePlays: number;
  readonly open: Map<number, Unit>;
}

export interface MergerOptions {
  readonly plays: readonly string[];
  /** The hosts a play starts with (its selection less the hosts already failed or unreachable). */
  readonly playHosts: (play: number, gone: ReadonlySet<string>) => readonly string[];
  readonly emit: Reporter;
}

/**
 * Turns the event streams of many slices into one run's events, as an in-process run reports them:
 * a task's results on a slice show together once that slice has finished the task (an attempt lost
 * with its worker shows nothing of its unfinished task), task ids are made unique across slices,
 * and a play shows once every slice has finished the plays before it.
 */
export class EventMerger {
  private readonly slices = new Map<number, SliceState>();
  private readonly sliceHosts = new Map<number, readonly string[]>();
  private readonly pending = new Map<number, Unit[]>();
  private readonly finals = new Map<number, { attempt: number; summary: SliceSummary }>();
  private readonly gone = new Set<string>();
  /** Hosts whose slice ran more than once (its worker was lost). */
  readonly retried = new Set<string>();
  private phase: number[] = [];
  private shown = -1;
  private nextId = 0;

  constructor(private readonly o: MergerOptions) {}

  /** A new set of slices (a `serial` batch, or the whole run) starts. */
  startPhase(slices: ReadonlyMap<number, readonly string[]>): void {
    this.phase = [...slices.keys()];
    for (const [i, hosts] of slices) this.sliceHosts.set(i, hosts);
    if (this.shown < 0 && this.o.plays.length) this.openPlay(0);
  }

  /** A slice that will never run (cancelled while queued). */
  dropSlice(slice: number): void {
    this.slices.set(slice, { attempt: Infinity, play: Infinity, donePlays: Infinity, open: new Map() });
    this.advance();
  }

  /** The last attempt's summary of every slice that ended. */
  summaries(): ReadonlyMap<number, SliceSummary> {
    return new Map([...this.finals].map(([k, v]) => [k, v.summary]));
  }

  /** Some attempt of the slice has started on a worker. */
  started(slice: number): boolean {
    return this.slices.has(slice);
  }

  ended(slice: number): boolean {
    return this.finals.has(slice) || this.slices.get(slice)?.attempt === Infinity;
  }

  receive(m: SliceMessage): void {
    let st = this.slices.get(m.slice);
    if (m.kind === 'start') {
      if (st && m.attempt <= st.attempt) return;
      if (st || m.attempt > 1) {
        const hosts = this.sliceHosts.get(m.slice) ?? [];
        hosts.forEach((h) => this.retried.add(h));
        this.o.emit({ type: 'warning', msg: `slice ${m.slice + 1} (${hosts.join(', ')}) runs again on worker ${m.worker} (attempt ${m.attempt}): the worker that had it was lost` });
      }
      this.slices.set(m.slice, { attempt: m.attempt, play: -1, donePlays: 0, open: new Map() });
      return;
    }
    if (!st || m.attempt !== st.attempt || m.kind === 'wait') return; // a lost attempt's late words
    if (m.kind === 'end') {
      this.finals.set(m.slice, { attempt: m.attempt, summary: m.summary });
      st.donePlays = Infinity;
      this.advance();
      return;
    }
    this.event(st, m.event);
  }

  private event(st: SliceState, e: RunEvent): void {
    const latest = [...st.open.values()].at(-1);
    switch (e.type) {
      case 'run:start':
      case 'run:end':
        return;
      case 'play:start':
        st.play++;
        return;
      case 'play:end':
        st.donePlays++;
        this.advance();
        return;
      case 'task:start': {
        const id = ++this.nextId;
        st.open.set(e.id, { play: st.play, events: [{ ...e, id }] });
        return;
      }
      case 'host:result':
      case 'task:end': {
        const unit = st.open.get(e.id);
        if (!unit) return;
        const id = (unit.events[0] as { id: number }).id;
        unit.events.push({ ...e, id });
        if (e.type === 'task:end') {
          st.open.delete(e.id);
          this.deliver(unit);
        }
        return;
      }
      case 'host:unreachable':
      case 'command':
      case 'output':
      case 'log':
        if (latest) latest.events.push(e);
        else this.deliver({ play: Math.max(0, st.play), events: [e] });
        return;
      default:
        this.o.emit(e);
    }
  }

  private deliver(unit: Unit): void {
    if (unit.play <= this.shown) this.show(unit);
    else this.pending.set(unit.play, [...(this.pending.get(unit.play) ?? []), unit]);
  }

  private show(unit: Unit): void {
    for (const e of unit.events) {
      if (e.type === 'host:unreachable') this.gone.add(e.host);
      if (e.type === 'host:result' && e.result.status === 'failed' && !e.result.ignored) this.gone.add(e.host);
      this.o.emit(e);
    }
  }

  private openPlay(p: number): void {
    if (p > 0) this.o.emit({ type: 'play:end', play: this.o.plays[p - 1]! });
    this.shown = p;
    this.o.emit({ type: 'play:start', play: this.o.plays[p]!, hosts: this.o.playHosts(p, this.gone) });
    for (const u of this.pending.get(p) ?? []) this.show(u);
    this.pending.delete(p);
  }

  /** The next play shows once every slice of the phase has finished the plays before it. */
  private advance(): void {
    while (this.shown + 1 < this.o.plays.length && this.phase.every((s) => (this.slices.get(s)?.donePlays ?? 0) > this.shown)) {
      this.openPlay(this.shown + 1);
    }
  }

  /** The run is over: the plays not shown yet show (with whatever arrived), the last one ends. */
  finish(): void {
    while (this.shown + 1 < this.o.plays.length) this.openPlay(this.shown + 1);
    if (this.shown >= 0) this.o.emit({ type: 'play:end', play: this.o.plays[this.shown]! });
  }
}

import type { HostStats, RunEvent } from '@shipshape/core';

/** What a slice's run ends with: its hosts' stats, as the in-process runner reports them. */
export interface SliceSummary {
  readonly stats: Readonly<Record<string, HostStats>>;
  readonly failedHosts: readonly string[];
  readonly unreachableHosts: readonly string[];
  readonly aborted: boolean;
}

/** What workers write to a run's event stream; `attempt` counts the runs of the slice (1, 2, …). */
export type SliceMessage =
  | { readonly kind: 'start'; readonly slice: number; readonly attempt: number; readonly worker: string }
  | { readonly kind: 'event'; readonly slice: number; readonly attempt: number; readonly event: RunEvent }
  | { readonly kind: 'end'; readonly slice: number; readonly attempt: number; readonly worker: string; readonly summary: SliceSummary }
  /** The slice has finished the plays before `play` and waits for the other slices to. */
  | { readonly kind: 'wait'; readonly slice: number; readonly attempt: number; readonly play: number };

/** How a worker runs a slice: the controller's flags (extra vars as wire JSON). */
export interface SliceFlags {
  readonly check?: boolean;
  readonly diff?: boolean;
  readonly tags?: readonly string[];
  readonly skipTags?: readonly string[];
  readonly forks?: number;
  readonly taskTimeout?: number;
  readonly startAtTask?: string;
  /** The controller's -v count: events it would not show are not sent. */
  readonly verbosity: number;
  readonly extraVars: unknown;
}

/** One BullMQ job: a slice of a run. */
export interface SliceJob {
  readonly run: string;
  readonly slice: number;
  readonly hosts: readonly string[];
  /** Content address of the compiled playbook (with its files/ and templates/). */
  readonly playbook: string;
  /** Plays to run (indexes); all when absent. */
  readonly plays?: readonly number[];
  /** The slices run together (this one included): each play starts once they all finished the one before. */
  readonly peers?: readonly number[];
  /** The controller batched the hosts for `serial`: the worker runs its slice as one batch. */
  readonly batched?: boolean;
  readonly flags: SliceFlags;
}

/** The compiled playbook as stored: one ES module and the files it ships. */
export interface PlaybookBundle {
  /** The compiled module; imports of @shipshape/* are left for the worker to resolve to its own. */
  readonly code: string;
  /** The playbook's file name (for messages and `playbook_dir`). */
  readonly name: string;
  /** `files/…` and `templates/…` paths → base64 content and mode. */
  readonly files: Readonly<Record<string, { readonly mode: number; readonly data: string }>>;
}

// Public surface of @shipshape/fleet: one run spread over worker machines through Redis and BullMQ.
export { parseQueueUrl } from './url.js';
export type { QueueTarget, QueueUrlOptions } from './url.js';
export { runOnQueue, SliceFailed } from './controller.js';
export type { Phase, QueueRun } from './controller.js';
export { startWorker } from './worker.js';
export type { RunningWorker, WorkerInfo, WorkerOptions } from './worker.js';
export { queueStatus, renderStatus } from './status.js';
export type { QueueStatus } from './status.js';
export { QueueUnavailable } from './redis.js';
export { cutSlices, defaultSliceSize, WORKER_TAG_VAR } from './slices.js';
export type { Slice } from './slices.js';
export { EventMerger } from './merge.js';
export { inventoryToWire, inventoryFromWire, SecretRefused, toWire } from './wire.js';
export type { Unvault, WireInventory } from './wire.js';
export type { PlaybookBundle, SliceFlags, SliceJob, SliceMessage, SliceSummary } from './protocol.js';

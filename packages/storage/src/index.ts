// Public surface of @shipshape/storage: backup destinations, verified uploads, N-generation
// rotation and timestamp retention.
export { openDestination, withDestination } from './destination.js';
export { StorageError, VerifyError } from './errors.js';
export type { StorageStage } from './errors.js';
export { fromHostFile, fromLocalFile, fromStream } from './source.js';
export type { Source } from './source.js';
export { uploadFile } from './transfer.js';
export { downloadToHost } from './download.js';
export type { DownloadResult } from './download.js';
export type { UploadOptions, UploadResult } from './transfer.js';
export { Generation, rotate } from './rotation/rotate.js';
export type { GenerationOptions, RotationResult } from './rotation/rotate.js';
export { planRotation, rotationNames, generationIndex, staleEntries } from './rotation/plan.js';
export type { RotationOp } from './rotation/plan.js';
export { selectRetention, parseRetention } from './retention/retention.js';
export type { RetentionPolicy, RetentionDecision, RetentionClass } from './retention/retention.js';
export { parseNameTime } from './retention/timestamp.js';
export { store, prune } from './store.js';
export type { PruneOptions } from './store.js';
export type {
  Destination,
  LocalDestination,
  SftpDestination,
  FtpDestination,
  DestinationClient,
  DestinationEntry,
} from './types.js';

// Public surface of @shipshape/storage: backup destinations, verified uploads, N-generation
// rotation and timestamp retention.
export { openDestination, withDestination } from './destination.js';
export { StorageError, VerifyError, type StorageStage } from './errors.js';
export { fromHostFile, fromLocalFile, fromStream, type Source } from './source.js';
export { uploadFile } from './transfer.js';
export { downloadToHost, type DownloadResult } from './download.js';
export type { UploadOptions, UploadResult } from './transfer.js';
export { Generation, rotate, type GenerationOptions, type RotationResult } from './rotation/rotate.js';
export { planRotation, rotationNames, generationIndex, staleEntries, type RotationOp } from './rotation/plan.js';
export { selectRetention, parseRetention, type RetentionPolicy, type RetentionDecision, type RetentionClass } from './retention/retention.js';
export { parseNameTime } from './retention/timestamp.js';
export { store, prune, type PruneOptions } from './store.js';
export type {
  Destination,
  LocalDestination,
  SftpDestination,
  FtpDestination,
  DestinationClient,
  DestinationEntry,
} from './types.js';

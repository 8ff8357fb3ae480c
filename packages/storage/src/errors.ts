import { ShipshapeError } from '@shipshape/core';

/** What a storage operation was doing when it failed. */
export type StorageStage = 'connect' | 'upload' | 'download' | 'verify' | 'rotate' | 'list' | 'delete' | 'rename' | 'mkdir' | 'prune';

/**
 * A destination operation failed. The message names the destination, the path and the stage;
 * `cause` carries the client library's error.
 */
export class StorageError extends ShipshapeError {
  constructor(
    readonly destination: string,
    readonly stage: StorageStage,
    message: string,
    options?: { cause?: unknown },
  ) {
    super('STORAGE', `${destination}: ${stage} failed: ${message}`, options);
  }
}

/** An uploaded file does not match its source (size or checksum). */
export class VerifyError extends StorageError {
  constructor(
    destination: string,
    readonly path: string,
    readonly expected: string,
    readonly actual: string,
  ) {
    super(destination, 'verify', `${path}: expected ${expected}, found ${actual}`);
  }
}

/** Run one destination operation; any failure becomes a StorageError naming destination, stage and path. */
export async function storageOp<T>(destination: string, stage: StorageStage, path: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof StorageError) throw e;
    throw new StorageError(destination, stage, `${path}: ${(e as Error).message}`, { cause: e });
  }
}

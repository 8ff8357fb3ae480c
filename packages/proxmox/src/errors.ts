import { ShipshapeError } from '@shipshape/core';

/** vzdump failed for a guest (or the job); carries the guest id and vzdump's own error line. */
export class VzdumpError extends ShipshapeError {
  constructor(
    readonly host: string,
    readonly id: number | undefined,
    message: string,
    readonly output: string,
    options?: { cause?: unknown },
  ) {
    super('BACKUP', `${host}: vzdump${id === undefined ? '' : ` of CT ${id}`} failed: ${message}`, options);
  }
}

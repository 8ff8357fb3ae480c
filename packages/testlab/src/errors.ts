import { ShipshapeError } from '@shipshape/core';

/** Any failure of the test lab: not root, bad profile, a host that did not come up. */
export class LabError extends ShipshapeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('LAB', message, options);
  }
}

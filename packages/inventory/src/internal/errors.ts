import { ShipshapeError } from '@shipshape/core';

/**
 * A bad value inside an inventory (a host range, a group, a vault envelope, a connection option). The
 * reader that met it adds the file and line, turning it into an InventoryError.
 */
export class InventoryValueError extends ShipshapeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('INVENTORY', message, options);
  }
}

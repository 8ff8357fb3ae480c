import { ShipshapeError } from '../errors.js';

/**
 * An error a template author made (unknown filter, bad argument, Python's ValueError); its message is
 * shown as is. `pythonType` names it as Python would (`TypeError`) in the template's error message;
 * without one it is a plain `Error`, a name that message leaves out.
 */
export class TemplateUsageError extends ShipshapeError {
  constructor(message: string, readonly pythonType?: string) {
    super('MODULE', message);
    this.name = pythonType ?? 'Error';
  }
}

/**
 * Every code a shipshape error carries: the CLI maps them to exit codes and reporters print them. The
 * list is closed: a package's own error class picks one of these.
 */
export type ErrorCode =
  /** A host could not be reached or the connection broke ({@link ConnectError}). */
  | 'CONNECT'
  /** A command on a host failed or its output could not be taken ({@link CommandError}). */
  | 'COMMAND'
  /** An inventory could not be read ({@link InventoryError}). */
  | 'INVENTORY'
  /** A bad argument, option or command line ({@link ArgumentError}). */
  | 'ARGUMENT'
  /** A module failed for a reason of its own ({@link ModuleError}). */
  | 'MODULE'
  /** A playbook could not be loaded ({@link PlaybookError}). */
  | 'PLAYBOOK'
  /** A task ran past its timeout. */
  | 'TIMEOUT'
  /** Work asked of a task that had already ended. */
  | 'ABORTED'
  /** A backup destination operation failed (@shipshape/storage's StorageError). */
  | 'STORAGE'
  /** A backup tool failed for a guest (@shipshape/proxmox's VzdumpError). */
  | 'BACKUP'
  /** The test lab could not do what was asked (@shipshape/testlab's LabError). */
  | 'LAB'
  /** Queue mode could not reach Redis or its workers, or a slice failed on its worker (@shipshape/fleet). */
  | 'QUEUE';

/** Base of every error shipshape throws on purpose. */
export class ShipshapeError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

export type UnreachableReason = 'auth' | 'refused' | 'timeout' | 'hostkey' | 'dns' | 'closed' | 'other';

/** A host could not be reached or the connection broke. */
export class ConnectError extends ShipshapeError {
  constructor(
    readonly host: string,
    readonly reason: UnreachableReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super('CONNECT', `${host}: ${message}`, options);
  }
}

/** A remote command exited non-zero where success was required. */
export class CommandError extends ShipshapeError {
  constructor(
    readonly host: string,
    /** The command with secrets masked. */
    readonly command: string,
    readonly exitCode: number,
    readonly stdout: string,
    readonly stderr: string,
    options?: { cause?: unknown },
  ) {
    const detail = (stderr || stdout).trim().split('\n').slice(-3).join(' | ');
    super('COMMAND', `command failed on ${host} (rc=${exitCode}): ${command}${detail ? ` => ${detail}` : ''}`, options);
  }
}

/** Bad module or task arguments: names the task, the field, the value and what was expected. */
export class ArgumentError extends ShipshapeError {
  constructor(
    message: string,
    readonly field?: string,
    readonly value?: unknown,
    options?: { cause?: unknown },
  ) {
    super('ARGUMENT', message, options);
  }
}

/** An inventory could not be read or parsed; names the file and line. */
export class InventoryError extends ShipshapeError {
  constructor(
    message: string,
    readonly file?: string,
    readonly line?: number,
    options?: { cause?: unknown },
  ) {
    super('INVENTORY', file ? `${file}${line ? `:${line}` : ''}: ${message}` : message, options);
  }
}

/** A module failed for a reason of its own (not a plain command failure). */
export class ModuleError extends ShipshapeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('MODULE', message, options);
  }
}

/** A playbook could not be loaded or is malformed. */
export class PlaybookError extends ShipshapeError {
  constructor(message: string, readonly file?: string, options?: { cause?: unknown }) {
    super('PLAYBOOK', message, options);
  }
}

/** What a failure shows: a shipshape error's message, another error with its class name, anything else as text. */
export function errorMessage(e: unknown): string {
  if (e instanceof ShipshapeError) return e.message;
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

import type { Readable } from 'node:stream';
import type { Connection, Host } from '@shipshape/core';
import { connectionOf } from './backends/local.js';

/** Where the bytes of an upload come from. */
export type Source =
  /** A file on a managed host: uploaded from that host when it has the tools, else streamed through the controller. */
  | { readonly kind: 'host-file'; readonly connection: Connection; readonly path: string }
  /** A file on the controller. */
  | { readonly kind: 'local-file'; readonly path: string }
  /** Any stream (opened lazily, once). */
  | { readonly kind: 'stream'; readonly open: () => Readable | Promise<Readable>; readonly size?: number };

/** A file on a host (a shipshape Host or its connection). */
export function fromHostFile(on: Host | Connection, path: string): Source {
  return { kind: 'host-file', connection: connectionOf(on), path };
}

/** A file on the controller. */
export function fromLocalFile(path: string): Source {
  return { kind: 'local-file', path };
}

/** A stream, opened when the upload starts; `size` (if known) is checked against what was read. */
export function fromStream(open: Readable | (() => Readable | Promise<Readable>), size?: number): Source {
  return { kind: 'stream', open: typeof open === 'function' ? open : () => open, size };
}

import { createHash } from 'node:crypto';
import { Transform, Writable, type Readable } from 'node:stream';

/** Counts and hashes bytes passing through; awaits `onProgress` before passing each chunk on. */
export class Meter extends Transform {
  bytes = 0;
  private readonly hash = createHash('sha256');
  constructor(private readonly onProgress?: (bytes: number) => void | Promise<void>) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: (err?: Error | null, data?: Buffer) => void): void {
    this.bytes += chunk.length;
    this.hash.update(chunk);
    if (!this.onProgress) return done(null, chunk);
    Promise.resolve(this.onProgress(this.bytes)).then(
      () => done(null, chunk),
      (e: Error) => done(e),
    );
  }
  /** Hex SHA-256 of everything that went through (call once, after the end). */
  digest(): string {
    return this.hash.digest('hex');
  }
}

/** A writable that only hashes (read-back verification). */
export function hashSink(): { sink: Writable; digest: () => string; bytes: () => number } {
  const hash = createHash('sha256');
  let n = 0;
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      n += chunk.length;
      hash.update(chunk);
      done();
    },
  });
  return { sink, digest: () => hash.digest('hex'), bytes: () => n };
}

/** Wait for a readable to end or fail (used when piping into a client that consumes it). */
export function settled(stream: Readable): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.once('end', resolve);
    stream.once('error', reject);
  });
}

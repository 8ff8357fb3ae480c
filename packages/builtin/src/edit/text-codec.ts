/**
 * File bytes as text and back, losing nothing: how Ansible's modules read files they edit as text
 * (`to_text(…, errors='surrogateescape')`). A byte that is not part of a valid sequence of the
 * encoding becomes the lone surrogate U+DC80+byte, which encoding turns back into that byte, so
 * bytes the edit did not touch are written back exactly.
 */

import { isAscii, isUtf8 } from 'node:buffer';

/** How an editing module reads the file: bytes (one char per byte), UTF-8 or ASCII text. */
export type Encoding = 'binary' | 'utf8' | 'ascii';

const cont = (b: number | undefined): boolean => b !== undefined && b >= 0x80 && b <= 0xbf;

/** Length of the valid UTF-8 sequence starting at `i`, 0 when the byte there starts none. */
function sequenceAt(bytes: Buffer, i: number): number {
  const b = bytes[i]!;
  if (b < 0x80) return 1;
  const b1 = bytes[i + 1];
  if (b >= 0xc2 && b <= 0xdf) return cont(b1) ? 2 : 0;
  if (b >= 0xe0 && b <= 0xef) {
    const lo = b === 0xe0 ? 0xa0 : 0x80;
    const hi = b === 0xed ? 0x9f : 0xbf;
    return b1 !== undefined && b1 >= lo && b1 <= hi && cont(bytes[i + 2]) ? 3 : 0;
  }
  if (b >= 0xf0 && b <= 0xf4) {
    const lo = b === 0xf0 ? 0x90 : 0x80;
    const hi = b === 0xf4 ? 0x8f : 0xbf;
    return b1 !== undefined && b1 >= lo && b1 <= hi && cont(bytes[i + 2]) && cont(bytes[i + 3]) ? 4 : 0;
  }
  return 0;
}

/** Decode file bytes; bytes the encoding cannot read become U+DC80..U+DCFF. */
export function decodeText(bytes: Buffer, encoding: Encoding): string {
  if (encoding === 'binary') return bytes.toString('latin1');
  // Valid text throughout (nearly every file): no byte to escape, decoded natively.
  if (encoding === 'utf8' ? isUtf8(bytes) : isAscii(bytes)) return bytes.toString('utf8');
  let out = '';
  let run = 0;
  let i = 0;
  while (i < bytes.length) {
    const n = encoding === 'ascii' ? (bytes[i]! < 0x80 ? 1 : 0) : sequenceAt(bytes, i);
    if (n) {
      i += n;
      continue;
    }
    out += bytes.toString('utf8', run, i) + String.fromCharCode(0xdc00 + bytes[i]!);
    run = ++i;
  }
  return out + bytes.toString('utf8', run);
}

/** Encode text decoded by `decodeText` (plus the edit's own text) back to bytes. */
export function encodeText(text: string, encoding: Encoding): Buffer {
  if (encoding === 'binary') return Buffer.from(text, 'latin1');
  const parts: Buffer[] = [];
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0xdc80 || c > 0xdcff) continue;
    const prev = i > 0 ? text.charCodeAt(i - 1) : 0;
    if (prev >= 0xd800 && prev <= 0xdbff) continue; // the second half of a character beyond U+FFFF
    parts.push(Buffer.from(text.slice(run, i), 'utf8'), Buffer.from([c - 0xdc00]));
    run = i + 1;
  }
  if (!parts.length) return Buffer.from(text, 'utf8');
  parts.push(Buffer.from(text.slice(run), 'utf8'));
  return Buffer.concat(parts);
}

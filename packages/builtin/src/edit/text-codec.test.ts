import { describe, expect, it } from '@jest/globals';
import { decodeText, encodeText } from './text-codec.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/ /g, ''), 'hex');

describe('decodeText/encodeText give back every byte', () => {
  const inputs: [string, Buffer][] = [
    ['plain UTF-8 (é, €, 😀)', Buffer.from('é € 😀 \r\n')],
    ['latin-1 bytes', hex('63 61 66 e9 20 ff fe 0d 0a')],
    ['truncated sequences', hex('e2 82 41 f0 9f 98 0a c3')],
    ['overlong and surrogate encodings', hex('c0 80 ed a0 80 f5 80 80 80')],
    ['a character whose low half is in the escape range (U+10080) next to an escaped byte', Buffer.concat([Buffer.from('\u{10080}'), hex('80')])],
    ['NUL and control bytes', hex('00 01 1b 5b 33 31 6d 7f')],
  ];
  for (const [name, bytes] of inputs) {
    it(name, () => {
      for (const enc of ['utf8', 'ascii', 'binary'] as const) expect(encodeText(decodeText(bytes, enc), enc).equals(bytes)).toBe(true);
    });
  }

  it('reads as Python surrogateescape does: one U+DCxx per byte it cannot decode', () => {
    expect(decodeText(hex('61 e9 62 e2 82 ac'), 'utf8')).toBe('a\udce9b€');
    expect(decodeText(hex('e2 82 41'), 'utf8')).toBe('\udce2\udc82A');
    expect(decodeText(Buffer.from('é'), 'ascii')).toBe('\udcc3\udca9');
  });
});

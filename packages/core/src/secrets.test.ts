import { describe, expect, it } from '@jest/globals';
import { inspect } from 'node:util';
import { maskDeep, maskSecrets, registerSecretValue, reveal, secret } from './secrets.js';

describe('secrets', () => {
  const pw = secret("pa'ss word");

  it('are their value where strings are built from them, masked where inspected', () => {
    expect(`x=${pw}`).toBe("x=pa'ss word");
    expect(JSON.stringify({ pw })).toBe(`{"pw":"pa'ss word"}`);
    expect(inspect({ pw })).toBe("{ pw: ******** }");
    expect(reveal({ a: [pw], b: 1 })).toEqual({ a: ["pa'ss word"], b: 1 });
  });

  it('are masked in shown text in every form they take there', () => {
    expect(maskSecrets("echo 'pa'\\''ss word' and pa'ss word")).toBe("echo '********' and ********");
    expect(maskSecrets('{"msg": "pa\'ss word"}')).toBe('{"msg": "********"}');
    const event = { type: 'x', result: { msg: "got pa'ss word", diff: [{ before: '', after: "pw=pa'ss word\n" }], data: { pw } } };
    expect(maskDeep(event)).toEqual({ type: 'x', result: { msg: 'got ********', diff: [{ before: '', after: 'pw=********\n' }], data: { pw: '********' } } });
    expect(event.result.msg).toBe("got pa'ss word");
  });

  it('are masked inside Errors (same class, own fields too), Maps and Sets', () => {
    class HostError extends Error { code = 'HOST'; }
    const err = Object.assign(new HostError("login failed for pa'ss word"), { stderr: "bad pa'ss word" });
    const shown = maskDeep({ error: err, m: new Map([['k', "pa'ss word"]]), s: new Set(["pa'ss word"]) });
    expect(shown.error).toBeInstanceOf(HostError);
    expect(shown.error.message).toBe('login failed for ********');
    expect(shown.error.stack).not.toContain("pa'ss word");
    expect(shown.error).toMatchObject({ code: 'HOST', stderr: 'bad ********' });
    expect([...shown.m.values()]).toEqual(['********']);
    expect([...shown.s]).toEqual(['********']);
    expect(err.message).toBe("login failed for pa'ss word");
  });

  it('each line of a multi-line value is masked; short circumstantial values are not', () => {
    secret('-----BEGIN KEY-----\nAAAAB3NzaC1yc2E\n-----END KEY-----');
    expect(maskSecrets('line: AAAAB3NzaC1yc2E')).toBe('line: ********');
    registerSecretValue('ok', 6);
    expect(maskSecrets('ok: [host]')).toBe('ok: [host]');
  });
});

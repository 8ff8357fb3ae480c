/**
 * The jest hooks every lab test file writes: a lab (or any resource) opened before the file's tests
 * and closed after them, and scratch directories removed at the end.
 */
import { afterAll, beforeAll } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sshConnect, type SshConnection } from '@shipshape/core';
import { startLab, type Lab, type StartLabOptions } from '@shipshape/testlab';

/**
 * `open()` in a beforeAll of the current describe (or file), `close` in its afterAll. The returned
 * object stands for the opened one: read it inside tests and later hooks, never at collection time.
 */
export function useResource<T extends object>(what: string, open: () => Promise<T>, close: (t: T) => Promise<unknown>): T {
  let value: T | undefined;
  beforeAll(async () => {
    value = await open();
  });
  afterAll(async () => {
    if (value) await close(value);
  });
  return new Proxy({} as T, {
    get(_target, key) {
      if (!value) throw new Error(`${what} is not open yet: use it inside a test or a hook declared after it`);
      const v: unknown = Reflect.get(value, key, value);
      return typeof v === 'function' ? v.bind(value) : v;
    },
  });
}

/** This test file's lab (startLab's options, or a function that starts one), stopped after its tests. */
export function useLab(start: StartLabOptions | (() => Promise<Lab>)): Lab {
  return useResource('the lab', () => (typeof start === 'function' ? start() : startLab(start)), (lab) => lab.stop());
}

/** An SSH connection to one lab host for the tests of the current describe, closed after them. */
export function useSsh(lab: Lab, name: string): SshConnection {
  return useResource(`the SSH connection to ${name}`, () => sshConnect(name, lab.hostSpec(name).connection), (c) => c.close());
}

/** A fresh directory under the system temp dir, removed after the file's (or describe's) tests. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

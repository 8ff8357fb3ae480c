/**
 * What travels through Redis: plain JSON. Buffers are tagged, inline vault values travel as their
 * ciphertext (each worker decrypts them with its own vault password) and every other secret is
 * refused: queue mode never puts a secret into Redis in clear.
 */
import { ArgumentError, InventoryError, MASK, maskDeep, maskSecrets, Secret, type BecomeSpec, type ConnectionSpec, type HostSpec, type InventoryView, type Vars } from '@shipshape/core';

/** Decrypts an inline vault value on a worker (with the worker's own vault password). */
export type Unvault = (ciphertext: string) => Secret;

const HOW = 'queue mode sends no secret in clear: give it to the workers as an inline !vault value in the inventory ' +
  '(each worker decrypts it with its own --vault-password-file)';

/** A secret made on the controller: refused, naming where it was found. */
export class SecretRefused extends ArgumentError {
  constructor(where: string) {
    super(`${where} is a secret given on the controller (secret(), a whole-file vault, -K); ${HOW}`, 'queue', where);
  }
}

/** An inline `!vault` value keeps its envelope (ciphertext) beside the plain text. */
function ciphertextOf(s: Secret): string | undefined {
  const c = (s as Secret & { ciphertext?: unknown }).ciphertext;
  return typeof c === 'string' && c ? c : undefined;
}

/** A JSON-ready copy; `where` names the value in the refusal message. */
export function toWire(value: unknown, where: string): unknown {
  return wireOf(value, where, false);
}

/**
 * What a slice shares of its hosts (facts, registered results) as JSON: inline vault values as their
 * ciphertext, every other secret and anything that shows one masked (as reporters show them), what is
 * not data (a function, a class instance) left out.
 */
export function sharedToWire(value: unknown): unknown {
  return wireOf(value, 'shared', true);
}

function wireOf(value: unknown, where: string, share: boolean): unknown {
  if (value instanceof Secret) {
    const ct = ciphertextOf(value);
    if (ct !== undefined) return { __ansible_vault: ct };
    if (share) return MASK;
    throw new SecretRefused(where);
  }
  if (typeof value === 'string') return share ? maskSecrets(value) : value;
  if (Buffer.isBuffer(value)) return { __buffer: (share ? maskDeep(value) : value).toString('base64') };
  if (Array.isArray(value)) return value.map((x, i) => wireOf(x, `${where}[${i}]`, share) ?? null);
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'function' || typeof value === 'symbol') {
    if (share) return undefined;
    throw new ArgumentError(`${where} is a ${typeof value}, not data: queue mode sends inventory and vars as JSON`, 'queue', where);
  }
  if (value && typeof value === 'object') {
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) {
      if (share) return undefined;
      throw new ArgumentError(`${where} is an object of class ${(value as object).constructor?.name ?? '?'}, not data: queue mode sends inventory and vars as JSON`, 'queue', where);
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, wireOf(v, `${where}.${k}`, share)]).filter(([, v]) => v !== undefined));
  }
  return value;
}

/** The value back from JSON: vault envelopes decrypted by the worker, Buffers restored. */
export function fromWire(value: unknown, unvault: Unvault): unknown {
  if (Array.isArray(value)) return value.map((x) => fromWire(x, unvault));
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (typeof o.__ansible_vault === 'string' && Object.keys(o).length === 1) return unvault(o.__ansible_vault);
    if (typeof o.__buffer === 'string' && Object.keys(o).length === 1) return Buffer.from(o.__buffer, 'base64');
    return Object.fromEntries(Object.entries(o).filter(([k]) => k !== '__proto__').map(([k, v]) => [k, fromWire(v, unvault)]));
  }
  return value;
}

/** A JSON text of any event or result: Buffers tagged (JSON.stringify would spell out their bytes). */
export function encode(value: unknown): string {
  return JSON.stringify(value, function (this: Record<string, unknown>, k, v) {
    const raw = this[k];
    return Buffer.isBuffer(raw) ? { __buffer: raw.toString('base64') } : v;
  });
}

export function decode(text: string): unknown {
  return JSON.parse(text, (_k, v) => (v && typeof v === 'object' && typeof v.__buffer === 'string' && Object.keys(v).length === 1 ? Buffer.from(v.__buffer, 'base64') : v));
}

export interface WireHost {
  readonly name: string;
  readonly vars: unknown;
  readonly connection?: unknown;
  /** Why the host's connection values are unusable (thrown when a task connects to it). */
  readonly connectionError?: string;
  readonly become?: unknown;
}

/** The run's inventory as workers see it: every host, its groups, and the controller's selections. */
export interface WireInventory {
  readonly hosts: readonly WireHost[];
  readonly groupNames: Readonly<Record<string, readonly string[]>>;
  readonly groupMembers: Readonly<Record<string, readonly string[]>>;
  /** A play's `hosts` pattern (with --limit applied) → hosts, as the controller selected them. */
  readonly plays: Readonly<Record<string, readonly string[]>>;
  /** A `delegateTo` pattern → hosts. */
  readonly delegates: Readonly<Record<string, readonly string[]>>;
}

export function inventoryToWire(inv: InventoryView, plays: WireInventory['plays'], delegates: WireInventory['delegates']): WireInventory {
  const hosts = inv.hosts.map((h): WireHost => {
    let connection: ConnectionSpec | undefined;
    let connectionError: string | undefined;
    try {
      connection = h.connection;
    } catch (e) {
      connectionError = (e as Error).message;
    }
    return {
      name: h.name,
      vars: toWire(h.vars, `host ${h.name}: var`),
      ...(connection ? { connection: toWire(connection, `host ${h.name}: connection`) } : { connectionError }),
      ...(h.become ? { become: toWire(h.become, `host ${h.name}: become`) } : {}),
    };
  });
  const names = inv.hosts.map((h) => h.name);
  return {
    hosts,
    groupNames: Object.fromEntries(names.map((n) => [n, inv.groupNames?.(n) ?? []])),
    groupMembers: inv.groupMembers?.() ?? { all: names },
    plays, delegates,
  };
}

/** The worker's view: every host of the run's inventory; plays select only the slice's hosts. */
export function inventoryFromWire(wire: WireInventory, slice: readonly string[], unvault: Unvault): InventoryView {
  const mine = new Set(slice);
  const hosts = wire.hosts.map((w): HostSpec => {
    const spec = { name: w.name, vars: fromWire(w.vars, unvault) as Vars } as HostSpec;
    if (w.become) Object.assign(spec, { become: fromWire(w.become, unvault) as BecomeSpec });
    if (w.connection) return Object.assign(spec, { connection: fromWire(w.connection, unvault) as ConnectionSpec });
    Object.defineProperty(spec, 'connection', {
      enumerable: true,
      get() {
        throw new InventoryError(w.connectionError ?? `host ${w.name}: no connection`);
      },
    });
    return spec;
  });
  const byName = new Map(hosts.map((h) => [h.name, h]));
  const named = (list: readonly string[]) => list.map((n) => byName.get(n)).filter((h): h is HostSpec => !!h);
  return {
    hosts,
    select(pattern: string): HostSpec[] {
      const play = wire.plays[pattern];
      if (play) return named(play.filter((n) => mine.has(n)));
      const delegate = wire.delegates[pattern] ?? (byName.has(pattern) ? [pattern] : undefined);
      if (delegate) return named(delegate);
      throw new InventoryError(`queue mode: the pattern ${JSON.stringify(pattern)} was not selected by the controller (plays' hosts and delegateTo names are)`);
    },
    groupNames: (host) => [...(wire.groupNames[host] ?? [])],
    groupMembers: () => Object.fromEntries(Object.entries(wire.groupMembers).map(([g, l]) => [g, [...l]])),
  };
}

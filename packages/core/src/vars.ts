/**
 * Variables as Ansible resolves them: layers merged by precedence, `{{ }}` in any value rendered
 * lazily (on first read, against the whole merged set, recursively), loops reported as Ansible
 * reports them, and the magic variables every host gets.
 */
import { ModuleError } from './errors.js';
import type { JinjaEngine } from './jinja/index.js';
import type { InventoryView, Vars } from './types.js';

const RENDERING = Symbol('rendering');

type Renderer = JinjaEngine['templateValue'];

const OPAQUE = new WeakSet<object>();

/** Mark a value whose contents render themselves (hostvars): never walked for templates. */
export function opaque<T extends object>(value: T): T {
  OPAQUE.add(value);
  return value;
}

/** Does any string in this value hold a template? */
export function hasTemplates(value: unknown, seen = new Set<unknown>()): boolean {
  if (typeof value === 'string') return value.includes('{{') || value.includes('{%');
  if (!value || typeof value !== 'object' || seen.has(value) || OPAQUE.has(value)) return false;
  seen.add(value);
  if (Array.isArray(value)) return value.some((v) => hasTemplates(v, seen));
  if (Object.getPrototypeOf(value) !== Object.prototype) return false;
  return Object.values(value).some((v) => hasTemplates(v, seen));
}

/**
 * Merge layers (lowest precedence first) into one vars object. With a renderer, every templated
 * value becomes a getter that renders it against the object it is read from, so a layer added
 * later with `extendVars` (a loop's `item`) is seen too; a value that needs itself is an error.
 */
export function mergeVars(layers: readonly Vars[], render?: Renderer): Vars {
  const out: Vars = {};
  // Shared by every copy of this object (nunjucks renders against copies): a var that needs itself is seen.
  Object.defineProperty(out, RENDERING, { value: new Set<string>(), enumerable: false, configurable: true });
  for (const layer of layers) {
    for (const key of Object.keys(layer)) {
      const desc = Object.getOwnPropertyDescriptor(layer, key)!;
      if (desc.get) Object.defineProperty(out, key, { ...desc, configurable: true });
      else defineValue(out, key, desc.value, render);
    }
  }
  return out;
}

function defineValue(target: Vars, key: string, value: unknown, render: Renderer | undefined): void {
  if (!render || !hasTemplates(value)) {
    Object.defineProperty(target, key, { value, enumerable: true, configurable: true, writable: true });
    return;
  }
  const cache = new WeakMap<object, unknown>();
  Object.defineProperty(target, key, {
    enumerable: true,
    configurable: true,
    get(this: Vars & { [RENDERING]: Set<string> }) {
      if (cache.has(this)) return cache.get(this);
      const busy = this[RENDERING];
      if (busy.has(key)) throw new ModuleError(`recursive loop detected in template string: ${String(typeof value === 'string' ? value : JSON.stringify(value))}`);
      busy.add(key);
      try {
        const v = render(value, this, key);
        cache.set(this, v);
        return v;
      } catch (e) {
        if (e instanceof ModuleError && /recursive loop detected/.test(e.message)) throw e;
        throw new ModuleError(`error while templating var ${key} (${String(value)}): ${(e as Error).message.replace(/^template \S+: /, '')}`, { cause: e });
      } finally {
        busy.delete(key);
      }
    },
    set(v: unknown) {
      Object.defineProperty(this, key, { value: v, enumerable: true, configurable: true, writable: true });
    },
  });
}

/** These vars plus a few more (a loop's item), still lazy: getters are copied, not read. */
export function extendVars(base: Vars, extra: Vars): Vars {
  const out = Object.defineProperties({}, Object.getOwnPropertyDescriptors(base)) as Vars;
  for (const [k, v] of Object.entries(extra)) Object.defineProperty(out, k, { value: v, enumerable: true, configurable: true, writable: true });
  return out;
}

/** The magic variables of one host that come from the inventory. */
export function inventoryMagic(inv: InventoryView, name: string): Vars {
  const groupNames = inv.groupNames?.(name) ?? [];
  return {
    inventory_hostname: name,
    inventory_hostname_short: name.split('.')[0],
    group_names: groupNames,
    groups: inv.groupMembers?.() ?? { all: inv.hosts.map((h) => h.name) },
  };
}

/** Ansible's `omit` placeholder (a module argument set to it is dropped). */
export const OMIT = '__omit_place_holder__shipshape';

/** Jinja2's and ansible-core 2.14's tests (`x is defined`, `v is version('2.0', '>=')`, `r is changed`). */
import { pyCompile, pyMatch, pySearch } from '../pyregex.js';
import { Secret } from '../command.js';
import { bind, TemplateUsageError } from './args.js';
import { iterate } from './filters-jinja.js';
import { PyFloat, PyTuple, isPlainObject, pyCmp, pyEq, pyStrOf, pyTruth } from './pyvalues.js';

export type TestFn = (value: unknown, ...args: unknown[]) => boolean;

const str = (v: unknown) => pyStrOf(v);
const isNumber = (v: unknown) => (typeof v === 'number' || v instanceof PyFloat) && typeof v !== 'boolean';

/** LooseVersion: runs of digits compare as numbers, letters as strings. */
function looseParts(v: string): (number | string)[] {
  return (v.match(/\d+|[a-z]+|\./gi) ?? []).filter((p) => p !== '.').map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

/** StrictVersion: N.N[.N][(a|b)N]. */
function strictParts(v: string): (number | string)[] {
  const m = /^(\d+)\.(\d+)(?:\.(\d+))?(?:([ab])(\d+))?$/.exec(v);
  if (!m) throw new TemplateUsageError(`Version comparison failed: invalid version number '${v}'`);
  return [Number(m[1]), Number(m[2]), Number(m[3] ?? 0), m[4] ? m[4] : 'z', Number(m[5] ?? 0)];
}

function semverParts(v: string): (number | string)[] {
  const m = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/.exec(v);
  if (!m) throw new TemplateUsageError(`Version comparison failed: invalid semantic version '${v}'`);
  return [Number(m[1]), Number(m[2]), Number(m[3]), m[4] === undefined ? 1 : 0];
}

const OPS: Record<string, (c: number) => boolean> = {
  '==': (c) => c === 0, '=': (c) => c === 0, eq: (c) => c === 0,
  '<': (c) => c < 0, lt: (c) => c < 0, '<=': (c) => c <= 0, le: (c) => c <= 0,
  '>': (c) => c > 0, gt: (c) => c > 0, '>=': (c) => c >= 0, ge: (c) => c >= 0,
  '!=': (c) => c !== 0, '<>': (c) => c !== 0, ne: (c) => c !== 0,
};

function version(value: unknown, ...args: unknown[]): boolean {
  const a = bind('version', ['version', 'operator', 'strict', 'version_type'], { operator: 'eq', strict: false, version_type: null }, args);
  const cmp = OPS[String(a.operator)];
  if (!cmp) throw new TemplateUsageError(`Invalid operator type (${a.operator})`);
  const type = a.version_type ?? (a.strict ? 'strict' : 'loose');
  const parse = type === 'strict' ? strictParts : type === 'semver' || type === 'semantic' ? semverParts : type === 'loose' ? looseParts : undefined;
  if (!parse) throw new TemplateUsageError(`Invalid version type (${type}). Must be one of loose, strict, semver, semantic`);
  if (value === undefined || str(value) === '') throw new TemplateUsageError('Input version value cannot be empty');
  const x = parse(str(value));
  const y = parse(str(a.version));
  let c = 0;
  for (let i = 0; i < Math.max(x.length, y.length) && c === 0; i++) {
    if (i >= x.length) c = -1;
    else if (i >= y.length) c = 1;
    else c = pyCmp(x[i], y[i]);
  }
  return cmp(c);
}

function regexTest(kind: 'match' | 'search', value: unknown, args: unknown[]): boolean {
  const a = bind(kind, ['pattern', 'ignorecase', 'multiline'], { ignorecase: false, multiline: false }, args);
  const rx = pyCompile(str(a.pattern), kind, { i: pyTruth(a.ignorecase), m: pyTruth(a.multiline) });
  return (kind === 'match' ? pyMatch(rx, str(value)) : pySearch(rx, str(value))) !== null;
}

const result = (v: unknown) => (isPlainObject(v) ? v : undefined);
const failed = (v: unknown) => {
  const r = result(v);
  if (!r) throw new TemplateUsageError('The failed test expects a dictionary');
  return pyTruth(r.failed) || r.status === 'failed';
};

export const TESTS: Record<string, TestFn> = {
  defined: (v) => v !== undefined,
  undefined: (v) => v === undefined,
  none: (v) => v === null,
  boolean: (v) => typeof v === 'boolean',
  true: (v) => v === true,
  false: (v) => v === false,
  number: (v) => isNumber(v),
  integer: (v) => typeof v === 'number' && Number.isInteger(v),
  float: (v) => v instanceof PyFloat || (typeof v === 'number' && !Number.isInteger(v)),
  string: (v) => typeof v === 'string' || v instanceof Secret,
  mapping: (v) => isPlainObject(v),
  sequence: (v) => Array.isArray(v) || typeof v === 'string' || isPlainObject(v),
  iterable: (v) => Array.isArray(v) || typeof v === 'string' || isPlainObject(v),
  callable: (v) => typeof v === 'function',
  sameas: (v, other) => v === other || (v === null && other === undefined),
  eq: (v, other) => pyEq(v, other),
  ne: (v, other) => !pyEq(v, other),
  lt: (v, other) => pyCmp(v, other) < 0,
  le: (v, other) => pyCmp(v, other) <= 0,
  gt: (v, other) => pyCmp(v, other) > 0,
  ge: (v, other) => pyCmp(v, other) >= 0,
  in: (v, seq) => (typeof seq === 'string' ? seq.includes(str(v)) : isPlainObject(seq) ? Object.hasOwn(seq, str(v)) : iterate(seq, 'in').some((x) => pyEq(x, v))),
  divisibleby: (v, n) => Number(v) % Number(n) === 0,
  even: (v) => Number(v) % 2 === 0,
  odd: (v) => Math.abs(Number(v) % 2) === 1,
  lower: (v) => str(v) === str(v).toLowerCase(),
  upper: (v) => str(v) === str(v).toUpperCase(),
  escaped: () => false,
  match: (v, ...args) => regexTest('match', v, args),
  search: (v, ...args) => regexTest('search', v, args),
  regex(v, ...args) {
    const a = bind('regex', ['pattern', 'ignorecase', 'multiline', 'match_type'], { ignorecase: false, multiline: false, match_type: 'search' }, args);
    return regexTest(a.match_type === 'match' ? 'match' : 'search', v, [a.pattern, a.ignorecase, a.multiline]);
  },
  version,
  version_compare: version,
  subset: (v, big) => iterate(v, 'subset').every((x) => iterate(big, 'subset').some((y) => pyEq(x, y))),
  superset: (v, small) => iterate(small, 'superset').every((x) => iterate(v, 'superset').some((y) => pyEq(x, y))),
  contains: (v, item) => iterate(v, 'contains').some((x) => pyEq(x, item)),
  any: (v) => iterate(v, 'any').some(pyTruth),
  all: (v) => iterate(v, 'all').every(pyTruth),
  truthy: (v) => pyTruth(v),
  falsy: (v) => !pyTruth(v),
  failed,
  succeeded: (v) => !failed(v),
  changed: (v) => pyTruth(result(v)?.changed),
  skipped: (v) => pyTruth(result(v)?.skipped) || result(v)?.status === 'skipped',
  finished: (v) => result(v)?.finished !== 0,
  abs: (v) => str(v).startsWith('/'),
  nan: (v) => typeof v === 'number' && Number.isNaN(v),
  tuple: (v) => v instanceof PyTuple,
};
const aliases: Record<string, string> = {
  '==': 'eq', equalto: 'eq', '!=': 'ne', '<': 'lt', lessthan: 'lt', '<=': 'le', '>': 'gt', greaterthan: 'gt', '>=': 'ge',
  null: 'none', failure: 'failed', success: 'succeeded', successful: 'succeeded', change: 'changed', skip: 'skipped', is_abs: 'abs',
};
for (const [alias, name] of Object.entries(aliases)) TESTS[alias] = TESTS[name]!;

/**
 * Python semantics for nunjucks-compiled templates, as Jinja2 has them: truthiness (an empty list
 * is false), `==` without coercion, `+` that joins lists, `/` that gives floats, float literals,
 * iteration over a dict's keys, `None` printed as `None`. nunjucks keeps these hooks on its shared
 * compiler and runtime; this module is their only user in the process.
 */
import type nunjucksModule from 'nunjucks';
import { Secret } from '../command.js';
import { TemplateUsageError } from './errors.js';
import { PyFloat, PyTuple, isFloat, isPlainObject, pyCmp, pyEq, pyPrint, pyTruth, pyType, toFloat, STRING_MEMBERS } from './pyvalues.js';
import { PyDatetime, PyTimedelta } from './pydatetime.js';

type Nunjucks = typeof nunjucksModule;

const num = (v: unknown): number => (v instanceof PyFloat ? v.value : typeof v === 'boolean' ? Number(v) : (v as number));
const isNum = (v: unknown): boolean => typeof v === 'number' || typeof v === 'boolean' || v instanceof PyFloat;
const arith = (a: unknown, b: unknown, n: number): number | PyFloat => (isFloat(a) || isFloat(b) ? toFloat(n) : n);

function unsupported(op: string, a: unknown, b: unknown): never {
  throw new TemplateUsageError(`unsupported operand type(s) for ${op}: '${pyType(a)}' and '${pyType(b)}'`, 'TypeError');
}

/** The operators, called from compiled templates as `runtime.py.<op>`. */
export const ops = {
  truth: pyTruth,
  not: (v: unknown) => !pyTruth(v),
  and: (a: unknown, b: () => unknown) => (pyTruth(a) ? b() : a),
  or: (a: unknown, b: () => unknown) => (pyTruth(a) ? a : b()),
  float: (n: number) => toFloat(n),
  add(a: unknown, b: unknown): unknown {
    if (isNum(a) && isNum(b)) return arith(a, b, num(a) + num(b));
    const text = (x: unknown) => typeof x === 'string' || x instanceof Secret;
    if (text(a) && text(b)) return ops.str(a) + ops.str(b);
    if (Array.isArray(a) && Array.isArray(b) && a instanceof PyTuple === b instanceof PyTuple) return a instanceof PyTuple ? PyTuple.of(...a, ...b) : [...a, ...b];
    if (a instanceof PyDatetime && b instanceof PyTimedelta) return a.plus(b.ms);
    if (a instanceof PyTimedelta && b instanceof PyTimedelta) return new PyTimedelta(a.ms + b.ms);
    return unsupported('+', a, b);
  },
  sub(a: unknown, b: unknown): unknown {
    if (isNum(a) && isNum(b)) return arith(a, b, num(a) - num(b));
    if (a instanceof PyDatetime && b instanceof PyDatetime) return new PyTimedelta(a.ms - b.ms);
    if (a instanceof PyDatetime && b instanceof PyTimedelta) return a.plus(-b.ms);
    return unsupported('-', a, b);
  },
  mul(a: unknown, b: unknown): unknown {
    if (isNum(a) && isNum(b)) return arith(a, b, num(a) * num(b));
    if (typeof a === 'string' && typeof b === 'number') return a.repeat(Math.max(0, b));
    if (Array.isArray(a) && typeof b === 'number') return Array.from({ length: Math.max(0, b) }, () => a).flat();
    return unsupported('*', a, b);
  },
  div(a: unknown, b: unknown): unknown {
    if (!isNum(a) || !isNum(b)) return unsupported('/', a, b);
    if (num(b) === 0) throw new TemplateUsageError('ZeroDivisionError: division by zero');
    return toFloat(num(a) / num(b));
  },
  floordiv(a: unknown, b: unknown): unknown {
    if (!isNum(a) || !isNum(b)) return unsupported('//', a, b);
    if (num(b) === 0) throw new TemplateUsageError('ZeroDivisionError: integer division or modulo by zero');
    return arith(a, b, Math.floor(num(a) / num(b)));
  },
  mod(a: unknown, b: unknown): unknown {
    if (typeof a === 'string') return pyModFormat(a, b);
    if (!isNum(a) || !isNum(b)) return unsupported('%', a, b);
    const m = num(a) % num(b);
    return arith(a, b, m !== 0 && m < 0 !== num(b) < 0 ? m + num(b) : m);
  },
  pow(a: unknown, b: unknown): unknown {
    if (!isNum(a) || !isNum(b)) return unsupported('**', a, b);
    return isFloat(a) || isFloat(b) || num(b) < 0 ? toFloat(num(a) ** num(b)) : num(a) ** num(b);
  },
  neg: (a: unknown) => (a instanceof PyFloat ? new PyFloat(-a.value) : -(a as number)),
  cmp(a: unknown, op: string, b: unknown): boolean {
    if (op === '==') return pyEq(a, b);
    if (op === '!=') return !pyEq(a, b);
    const c = a instanceof PyDatetime && b instanceof PyDatetime ? a.ms - b.ms : pyCmp(a, b);
    return op === '<' ? c < 0 : op === '<=' ? c <= 0 : op === '>' ? c > 0 : c >= 0;
  },
  /** a < b < c is (a < b) and (b < c). */
  chain(values: unknown[], names: string[]): boolean {
    return names.every((op, i) => ops.cmp(values[i], op, values[i + 1]));
  },
  in(a: unknown, b: unknown): boolean {
    if (typeof b === 'string' || b instanceof Secret) return String(b instanceof Secret ? b.value : b).includes(String(a instanceof Secret ? a.value : a));
    if (Array.isArray(b)) return b.some((x) => pyEq(x, a));
    if (isPlainObject(b)) return typeof a === 'string' && Object.hasOwn(b, a);
    throw new TemplateUsageError(`argument of type '${pyType(b)}' is not iterable`, 'TypeError');
  },
  tuple: (items: unknown[]) => PyTuple.of(...items),
  key(k: unknown): string {
    if (typeof k === 'string') return k;
    if (k instanceof Secret) return k.value;
    return pyPrint(k);
  },
  loopFilter: (items: unknown, keep: (item: unknown) => boolean) => (Array.isArray(items) ? items.filter(keep) : Object.entries(items as object).filter(keep)),
  /** What `for x in v` walks: a dict's keys, a string's characters. */
  iter(v: unknown): unknown {
    if (isPlainObject(v)) return Object.keys(v);
    if (typeof v === 'string') return [...v];
    return v;
  },
  str: (v: unknown): string => pyPrint(v),
};

let modFormat: ((fmt: string, arg: unknown) => string) | undefined;
function pyModFormat(fmt: string, arg: unknown): string {
  return modFormat!(fmt, arg);
}

/** Install Python semantics into nunjucks' compiler and runtime (once per process). */
export function installPython(nunjucks: Nunjucks, format: (fmt: string, ...args: unknown[]) => string): void {
  modFormat = (fmt, arg) => (arg instanceof PyTuple ? format(fmt, ...arg) : format(fmt, arg));
  nunjucks.installJinjaCompat();
  const n = nunjucks as unknown as { runtime: Record<string, any>; compiler: { Compiler: any }; parser: { Parser: any }; nodes: Record<string, any>; lexer: Record<string, string> };
  const runtime = n.runtime;
  runtime.py = ops;
  const lookup = runtime.memberLookup;
  runtime.memberLookup = function (obj: unknown, val: unknown, ...rest: unknown[]) {
    if (rest.length === 2) {
      const sliced = lookup.call(this, typeof obj === 'string' ? [...obj] : obj, val, ...rest);
      return typeof obj === 'string' ? sliced.join('') : obj instanceof PyTuple ? PyTuple.of(...sliced) : sliced;
    }
    if (typeof obj === 'string' && typeof val === 'string' && Object.hasOwn(STRING_MEMBERS, val)) return STRING_MEMBERS[val]!.bind(obj);
    if (Array.isArray(obj) && typeof val === 'number' && val < 0) return obj[obj.length + val];
    if (obj instanceof Secret && typeof val === 'string' && Object.hasOwn(STRING_MEMBERS, val)) return STRING_MEMBERS[val]!.bind(obj.value);
    if (isPlainObject(obj) && typeof val === 'string' && !Object.hasOwn(obj, val) && val !== 'items' && val !== 'keys' && val !== 'values' && val !== 'get') return undefined;
    return lookup.call(this, obj, val, ...rest);
  };
  const suppress = runtime.suppressValue;
  // Ansible's finalize: None prints as an empty string at the top level (in a list it is None).
  runtime.suppressValue = (val: unknown, autoescape: boolean) => suppress(val === undefined || val === null ? val : pyPrint(val), autoescape);
  const ensure = runtime.ensureDefined;
  runtime.ensureDefined = (val: unknown, lineno: number, colno: number) => (val === null ? val : ensure(val, lineno, colno));

  const C = n.compiler.Compiler.prototype;
  const call = (name: string, ...parts: unknown[]) =>
    function (this: any, node: any, frame: unknown) {
      this._emit(`runtime.py.${name}(`);
      parts.forEach((p, i) => {
        if (i) this._emit(', ');
        if (typeof p === 'string' && p.startsWith('"')) this._emit(p);
        else if (typeof p === 'string' && p.startsWith('()=>')) {
          this._emit('() => (');
          this.compile(node[p.slice(4)], frame);
          this._emit(')');
        } else this.compile(node[p as string], frame);
      });
      this._emit(')');
    };
  C.compileAdd = call('add', 'left', 'right');
  C.compileSub = call('sub', 'left', 'right');
  C.compileMul = call('mul', 'left', 'right');
  C.compileDiv = call('div', 'left', 'right');
  C.compileFloorDiv = call('floordiv', 'left', 'right');
  C.compileMod = call('mod', 'left', 'right');
  C.compilePow = call('pow', 'left', 'right');
  C.compileNeg = call('neg', 'target');
  C.compileNot = call('not', 'target');
  C.compileAnd = call('and', 'left', '()=>right');
  C.compileOr = call('or', 'left', '()=>right');
  C.compileIn = call('in', 'left', 'right');
  C.compileConcat = function (this: any, node: any, frame: unknown) {
    this._emit('(""+runtime.py.str(');
    this.compile(node.left, frame);
    this._emit(')+runtime.py.str(');
    this.compile(node.right, frame);
    this._emit('))');
  };
  C.compileCompare = function (this: any, node: any, frame: unknown) {
    const names: Record<string, string> = { '==': '==', '===': '==', '!=': '!=', '!==': '!=', '<': '<', '>': '>', '<=': '<=', '>=': '>=' };
    this._emit('runtime.py.chain([');
    this.compile(node.expr, frame);
    for (const op of node.ops) {
      this._emit(', ');
      this.compile(op.expr, frame);
    }
    this._emit(`], ${JSON.stringify(node.ops.map((o: { type: string }) => names[o.type]))})`);
  };
  // Tests: arguments separated by commas (nunjucks drops them), results judged by Python truth.
  // A test's name, dotted when qualified (`ansible.builtin.match`).
  const testName = (x: any): string => (x.typename === 'LookupVal' ? `${testName(x.target)}.${x.val.value}` : String(x.value));
  C.compileIs = function (this: any, node: any, frame: unknown) {
    const right = testName(node.right.name ?? node.right);
    this._emit(`runtime.py.truth(env.getTest(${JSON.stringify(String(right))}).call(context, `);
    this.compile(node.left, frame);
    for (const arg of node.right.args?.children ?? []) {
      this._emit(', ');
      this.compile(arg, frame);
    }
    this._emit('))');
  };
  // (a, b) is a tuple; (a) is a.
  const group = C.compileGroup;
  C.compileGroup = function (this: any, node: any, frame: unknown) {
    if (node.children.length < 2 && !node.trailingComma) return group.call(this, node, frame);
    this._emit('runtime.py.tuple(');
    this._compileAggregate(node, frame, '[', ']');
    this._emit(')');
  };
  // Dict keys are expressions ({name: 1} uses the variable name), as in Jinja; keyword argument names are names.
  const pair = C.compilePair;
  C.compilePair = function (this: any, node: any, frame: unknown) {
    if (this.inKeywords) return pair.call(this, node, frame);
    this._emit('[runtime.py.key(');
    this.compile(node.key, frame);
    this._emit(')]: ');
    this.compile(node.value, frame);
  };
  C.compileKeywordArgs = function (this: any, node: any, frame: unknown) {
    this._emit('runtime.makeKeywordArgs({');
    node.children.forEach((p: any, i: number) => {
      if (i) this._emit(', ');
      this._emit(`${JSON.stringify(p.key.value)}: `);
      this.compile(p.value, frame);
    });
    this._emit('})');
  };
  // Jinja scoping: a `set` inside a loop body stays in that iteration; `set ns.attr` writes a namespace.
  const set = C.compileSet;
  C.compileSet = function (this: any, node: any, frame: any) {
    const target = node.targets[0];
    if (node.targets.length === 1 && target.typename === 'LookupVal') {
      this._emit('(');
      this.compile(target.target, frame);
      this._emit(')[');
      this.compile(target.val, frame);
      this._emit('] = ');
      this.compile(node.value, frame);
      this._emitLine(';');
      return;
    }
    const lookup = frame.lookup;
    frame.lookup = (name: string) => frame.resolve(name, true)?.variables[name];
    try {
      return set.call(this, node, frame);
    } finally {
      frame.lookup = lookup;
    }
  };
  const truthy = (key: string, orig: (...a: any[]) => unknown) =>
    function (this: any, node: any, ...rest: unknown[]) {
      if (node[key] && node[key].typename !== 'PyTruth') node[key] = new PyTruth(node[key].lineno, node[key].colno, node[key]);
      return orig.call(this, node, ...rest);
    };
  const PyTruth = n.nodes.FunCall.extend('PyTruth', { fields: ['expr'] });
  C.compilePyTruth = call('truth', 'expr');
  C.compileIf = truthy('cond', C.compileIf);
  C.compileIfAsync = truthy('cond', C.compileIfAsync);
  C.compileInlineIf = truthy('cond', C.compileInlineIf);
  const PyIter = n.nodes.FunCall.extend('PyIter', { fields: ['expr'] });
  C.compilePyIter = call('iter', 'expr');
  const forLoop = C.compileFor;
  C.compileFor = function (this: any, node: any, frame: unknown) {
    if (node.name.typename !== 'Array' && node.arr.typename !== 'PyIter') node.arr = new PyIter(node.arr.lineno, node.arr.colno, node.arr);
    if (node.loopFilter) {
      node.arr = new PyLoopFilter(node.arr.lineno, node.arr.colno, node.arr, node.loopFilter, node.name);
      node.loopFilter = undefined;
    }
    // Loop bodies isolate writes (compile-time ids and the runtime frame alike).
    const push = Object.getPrototypeOf(frame).push;
    const emitLine = this._emitLine;
    let isolated = false;
    Object.getPrototypeOf(frame).push = function (this: unknown) {
      Object.getPrototypeOf(frame).push = push;
      return push.call(this, true);
    };
    this._emitLine = function (this: any, code: string) {
      if (!isolated && code === 'frame = frame.push();') {
        isolated = true;
        return emitLine.call(this, 'frame = frame.push(true);');
      }
      return emitLine.call(this, code);
    };
    try {
      return forLoop.call(this, node, frame);
    } finally {
      Object.getPrototypeOf(frame).push = push;
      this._emitLine = emitLine;
    }
  };
  // `for x in items if cond`: the items are filtered first (loop.index counts the kept ones).
  const PyLoopFilter = n.nodes.FunCall.extend('PyLoopFilter', { fields: ['expr', 'cond', 'names'] });
  C.compilePyLoopFilter = function (this: any, node: any, frame: unknown) {
    const names: string[] = node.names.typename === 'Array' ? node.names.children.map((c: { value: string }) => c.value) : [node.names.value];
    this._emit('runtime.py.loopFilter(');
    this.compile(node.expr, frame);
    this._emit(`, (function (parent) { return function (item) { var frame = parent.push(); `);
    names.forEach((name, i) => this._emit(`frame.set(${JSON.stringify(name)}, ${names.length > 1 ? `item[${i}]` : 'item'}); `));
    this._emit('return runtime.py.truth(');
    this.compile(node.cond, frame);
    this._emit('); }; })(frame))');
  };
  const literal = C.compileLiteral;
  C.compileLiteral = function (this: any, node: any, frame: unknown) {
    if (node.pyFloat) return this._emit(`runtime.py.float(${node.value})`);
    return literal.call(this, node, frame);
  };
  // `{{ {'a': {}} }}`: a `}}` closing a dict literal inside an expression is not the variable end.
  const L = Object.getPrototypeOf((n.lexer as unknown as { lex(s: string): object }).lex(''));
  const nextToken = L.nextToken;
  L.nextToken = function (this: any) {
    const end = this.tags.VARIABLE_END;
    if (this.in_code && this.braceDepth > 0) this.tags.VARIABLE_END = '\u0000';
    try {
      const tok = nextToken.call(this);
      if (tok?.type === n.lexer.TOKEN_LEFT_CURLY) this.braceDepth = (this.braceDepth ?? 0) + 1;
      else if (tok?.type === n.lexer.TOKEN_RIGHT_CURLY) this.braceDepth -= 1;
      else if (!this.in_code) this.braceDepth = 0;
      return tok;
    } finally {
      this.tags.VARIABLE_END = end;
    }
  };
  const P = n.parser.Parser.prototype;
  const parseFor = P.parseFor;
  P.parseFor = function (this: any) {
    const node = parseFor.call(this);
    if (node.arr?.typename === 'InlineIf' && node.arr.else_ === null) {
      node.loopFilter = node.arr.cond;
      node.arr = node.arr.body;
    }
    return node;
  };
  // `x is divisibleby 3`, `x is sameas none`: one argument without parentheses, as Jinja allows.
  const parseIs = P.parseIs;
  const TEST_ARG = new Set([n.lexer.TOKEN_INT, n.lexer.TOKEN_FLOAT, n.lexer.TOKEN_STRING, n.lexer.TOKEN_NONE, n.lexer.TOKEN_BOOLEAN]);
  P.parseIs = function (this: any) {
    const node = parseIs.call(this);
    const is = node.typename === 'Not' ? node.target : node;
    if (is.typename === 'Is' && (is.right.typename === 'Symbol' || is.right.typename === 'Literal')) {
      const tok = this.peekToken();
      const keyword = tok?.type === n.lexer.TOKEN_SYMBOL && ['and', 'or', 'if', 'else', 'is', 'in', 'not'].includes(tok.value);
      if (tok && (TEST_ARG.has(tok.type) || (tok.type === n.lexer.TOKEN_SYMBOL && !keyword))) {
        const arg = this.parsePrimary();
        const name = is.right.typename === 'Literal' ? new n.nodes.Symbol(is.right.lineno, is.right.colno, String(is.right.value)) : is.right;
        is.right = new n.nodes.FunCall(name.lineno, name.colno, name, new n.nodes.NodeList(arg.lineno, arg.colno, [arg]));
      }
    }
    return node;
  };
  const primary = P.parsePrimary;
  P.parsePrimary = function (this: any, noPostfix: boolean) {
    const tok = this.peekToken();
    const node = primary.call(this, noPostfix);
    if (tok?.type === n.lexer.TOKEN_FLOAT && node?.typename === 'Literal' && Number.isInteger(node.value)) node.pyFloat = true;
    return node;
  };
}

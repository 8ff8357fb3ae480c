/**
 * PyYAML's YAML 1.1 implicit scalars (what Ansible sees), where the `yaml` package's 1.1 schema
 * differs: `y`/`n` stay strings, `1e3` and `1.5e3` stay strings (PyYAML floats need a dot and a
 * signed exponent), `08` stays a string (not octal, not decimal).
 */
import type { ScalarTag } from 'yaml';

const BOOL = /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/;
const INT = /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/;
const FLOAT =
  /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;

function sexagesimal(digits: string, parse: (s: string) => number): number {
  return digits.split(':').reduce((acc, part) => acc * 60 + parse(part), 0);
}

function signed(text: string, fn: (s: string) => number): number {
  const t = text.replace(/_/g, '');
  const sign = t[0] === '-' ? -1 : 1;
  const body = t[0] === '-' || t[0] === '+' ? t.slice(1) : t;
  return sign * fn(body);
}

const intValue = (s: string): number =>
  signed(s, (b) => {
    if (b === '0') return 0;
    if (b.startsWith('0b')) return Number.parseInt(b.slice(2), 2);
    if (b.startsWith('0x')) return Number.parseInt(b.slice(2), 16);
    if (b[0] === '0') return Number.parseInt(b, 8);
    if (b.includes(':')) return sexagesimal(b, (p) => Number.parseInt(p, 10));
    return Number.parseInt(b, 10);
  });

const floatValue = (s: string): number =>
  signed(s.toLowerCase(), (b) => {
    if (b === '.inf') return Infinity;
    if (b === '.nan') return NaN;
    if (b.includes(':')) return sexagesimal(b, Number.parseFloat);
    return Number.parseFloat(b);
  });

export const PYYAML_SCALARS: ScalarTag[] = [
  { tag: 'tag:yaml.org,2002:bool', default: true, test: BOOL, resolve: (s) => /^(?:yes|true|on)$/i.test(s) },
  { tag: 'tag:yaml.org,2002:int', default: true, test: INT, resolve: intValue },
  { tag: 'tag:yaml.org,2002:float', default: true, test: FLOAT, resolve: floatValue },
];

export const REPLACED_TAGS = new Set([
  'tag:yaml.org,2002:bool',
  'tag:yaml.org,2002:int',
  'tag:yaml.org,2002:float',
  'tag:yaml.org,2002:timestamp',
]);

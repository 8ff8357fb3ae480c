/**
 * Ansible's INI inventory format, parsed line for line like ansible's `ini` plugin:
 * `[group]`, `[group:children]`, `[group:vars]`, hosts with inline `key=value` variables
 * (values read as Python literals), ranges and `host:port`.
 */
import { InventoryError } from '@shipshape/core';
import type { InventoryData } from './model.js';
import { parseIniValue } from './pyliteral.js';
import { shlexSplit } from './shlex.js';
import { expandHostPattern } from './hostrange.js';

const SECTION = /^\[([^:\]\s]+)(?::(\w+))?\]\s*(?:#.*)?$/;
const GROUPNAME = /^([^:\]\s]+)\s*(?:#.*)?$/;

interface Pending {
  line: number;
  state: 'vars' | 'children';
  parents: string[];
}

export function parseIni(inv: InventoryData, file: string, text: string): void {
  const pending = new Map<string, Pending>();
  let group = 'ungrouped';
  let state = 'hosts';
  const lines = text.split(/\r\n|\n|\r/);
  lines.forEach((raw, index) => {
    const lineno = index + 1;
    inv.at = { file, line: lineno };
    const fail = (msg: string): never => {
      throw new InventoryError(`${msg} (line text: ${JSON.stringify(raw.trim())})`, file, lineno);
    };
    const line = raw.trim();
    if (!line || line[0] === ';' || line[0] === '#') return;
    const m = SECTION.exec(line);
    if (m) {
      group = m[1]!;
      state = m[2] ?? 'hosts';
      if (!['hosts', 'children', 'vars'].includes(state)) fail(`Section [${group}:${state}] has unknown type: ${state}`);
      if (!inv.groups.has(group)) {
        if (state === 'vars' && !pending.has(group)) pending.set(group, { line: lineno, state: 'vars', parents: [] });
        inv.addGroup(group);
      }
      const p = pending.get(group);
      if (p && state !== 'vars') {
        if (p.state === 'children') addPendingChildren(inv, group, pending);
        else pending.delete(group);
      }
      return;
    }
    if (line.startsWith('[') && line.endsWith(']')) {
      fail(`Invalid section entry: '${line}'. Please make sure that there are no spaces in the section entry, and that there are no other invalid characters`);
    }
    try {
      if (state === 'hosts') parseHostLine(inv, group, line, fail);
      else if (state === 'vars') {
        const eq = line.indexOf('=');
        if (eq < 0) fail(`Expected key=value, got: ${line}`);
        inv.setVariable(group, line.slice(0, eq).trim(), parseIniValue(line.slice(eq + 1).trim()));
      } else {
        const cm = GROUPNAME.exec(line);
        if (!cm) fail(`Expected group name, got: ${line}`);
        const child = cm![1]!;
        if (!inv.groups.has(child)) {
          const p = pending.get(child);
          if (p) p.parents.push(group);
          else pending.set(child, { line: lineno, state: 'children', parents: [group] });
        } else inv.addChild(group, child);
      }
    } catch (e) {
      if (e instanceof InventoryError) throw e;
      fail((e as Error).message);
    }
  });
  for (const [name, decl] of pending) {
    if (decl.state === 'vars') {
      throw new InventoryError(`Section [${name}:vars] not valid for undefined group: ${name}`, file, decl.line);
    }
    throw new InventoryError(`Section [${decl.parents.at(-1)}:children] includes undefined group: ${name}`, file, decl.line);
  }
}

function addPendingChildren(inv: InventoryData, group: string, pending: Map<string, Pending>): void {
  for (const parent of pending.get(group)!.parents) {
    inv.addChild(parent, group);
    if (pending.get(parent)?.state === 'children') addPendingChildren(inv, parent, pending);
  }
  pending.delete(group);
}

function parseHostLine(inv: InventoryData, group: string, line: string, fail: (msg: string) => never): void {
  let tokens: string[];
  try {
    tokens = shlexSplit(line);
  } catch (e) {
    return fail(`Error parsing host definition '${line}': ${(e as Error).message}`);
  }
  if (!tokens.length) return;
  const pattern = tokens[0]!;
  const { hosts, port } = expandHostPattern(pattern);
  if (pattern.trim().endsWith(':') && port === undefined) {
    fail(`Invalid host pattern '${pattern}' supplied, ending in ':' is not allowed, this character is reserved to provide a port.`);
  }
  if (hosts.some((h) => h.trim() === '---')) {
    fail(`Invalid host pattern '${pattern}' supplied, '---' is normally a sign this is a YAML file.`);
  }
  const vars: [string, unknown][] = [];
  for (const t of tokens.slice(1)) {
    const eq = t.indexOf('=');
    if (eq < 0) fail(`Expected key=value host variable assignment, got: ${t}`);
    vars.push([t.slice(0, eq), parseIniValue(t.slice(eq + 1))]);
  }
  for (const h of hosts) {
    inv.addHost(h, group, port);
    for (const [k, v] of vars) inv.setVariable(h, k, v);
  }
}

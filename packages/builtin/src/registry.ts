/** Every builtin module by its Ansible name, for the CLI's adhoc `-m NAME` and YAML playbooks. */
import type { ModuleDef } from '@shipshape/core';
import { command, raw_, shell } from './modules/command.js';
import { debug } from './modules/debug.js';
import { assert, fail } from './modules/assert.js';
import { set_fact } from './modules/set_fact.js';
import { ping } from './modules/ping.js';
import { setup } from './modules/setup.js';
import { copy } from './modules/copy.js';
import { cron } from './modules/cron.js';
import { fetch } from './modules/fetch.js';
import { file } from './modules/file.js';
import { group } from './modules/group.js';
import { pkg } from './modules/package.js';
import { service } from './modules/service.js';
import { slurp } from './modules/slurp.js';
import { stat } from './modules/stat.js';
import { template } from './modules/template.js';
import { user } from './modules/user.js';
import { wait_for } from './modules/wait_for.js';
import { lineinfile } from './modules/lineinfile.js';
import { blockinfile } from './modules/blockinfile.js';
import { replace } from './modules/replace.js';
import { iniFile } from './modules/ini_file.js';

export const builtinModules: Readonly<Record<string, ModuleDef>> = Object.fromEntries(
  [command, shell, raw_, debug, assert, fail, set_fact, ping, setup, copy, cron, fetch, file, group, pkg, service, slurp, stat, template, user, wait_for, lineinfile, blockinfile, replace, iniFile].map((f) => [f.module.name, f.module]),
);

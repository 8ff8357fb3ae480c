import type { ModuleSet } from '@shipshape/core';
import { command, raw_, shell } from './modules/command.js';
import { debug } from './modules/debug.js';
import { assert, fail } from './modules/assert.js';
import { setFact } from './modules/set_fact.js';
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
import { waitFor } from './modules/wait_for.js';
import { lineinfile } from './modules/lineinfile.js';
import { blockinfile } from './modules/blockinfile.js';
import { replace } from './modules/replace.js';
import { iniFile } from './modules/ini_file.js';

/** Every builtin module under its export name; each is named as Ansible names it (`wait_for`, `ini_file`, `package`). */
export const modules = {
  assert, blockinfile, command, copy, cron, debug, fail, fetch, file, group, iniFile, lineinfile, ping, pkg, raw_,
  replace, service, setFact, setup, shell, slurp, stat, template, user, waitFor,
} satisfies ModuleSet;

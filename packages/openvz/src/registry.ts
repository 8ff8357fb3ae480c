import type { ModuleSet } from '@shipshape/core';
import { container } from './container.js';
import { execModule } from './exec.js';
import { templateRebuild } from './rebuild.js';

/** Every OpenVZ module under its export name; each is named `openvz.<name>` (`execModule` is `openvz.exec`). */
export const modules = { container, execModule, templateRebuild } satisfies ModuleSet;

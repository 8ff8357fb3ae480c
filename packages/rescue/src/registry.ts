import type { ModuleSet } from '@shipshape/core';
import { ipmiPower } from './power.js';

/** Every module of this package under its export name (`ipmiPower` is `ipmi.power`). */
export const modules = { ipmiPower } satisfies ModuleSet;

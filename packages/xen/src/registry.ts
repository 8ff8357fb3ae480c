import type { ModuleSet } from '@shipshape/core';
import { guest } from './modules/guest.js';
import { guestRoot } from './modules/guest-root.js';
import { vif } from './modules/vif.js';
import { registryEntry } from './guest-registry.js';
import { registryFacts, xenFacts } from './pair.js';

/** Every Xen module under its export name; each is named `xen.<name>` (`xenFacts` is `xen.facts`). */
export const modules = { guest, vif, xenFacts, guestRoot, registryEntry, registryFacts } satisfies ModuleSet;

import { factFixtures } from '@shipshape/core/testing';
import { containersFact, ctConfigFact, templatesFact, vzConfFact } from './vzctl.js';

// vzlist, the template cache and the config files as real hosts print them, one folder per fact.
const facts = { containers: containersFact, templates: templatesFact, vzconf: vzConfFact, ctconfig: ctConfigFact };
for (const [name, def] of Object.entries(facts)) factFixtures(def, new URL(`../fixtures/facts/${name}/`, import.meta.url));

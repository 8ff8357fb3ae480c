import { factFixtures } from '@shipshape/core/testing';
import { nodesFact, pctConfigFact, pctListFact, pveamListFact, pveversionFact, qmConfigFact, qmListFact, storagesFact } from './facts.js';

// The real tools' output, one folder of cases per fact.
const facts = {
  pveversion: pveversionFact, nodes: nodesFact, storages: storagesFact, pctList: pctListFact, pctConfig: pctConfigFact,
  qmList: qmListFact, qmConfig: qmConfigFact, pveamList: pveamListFact,
};
for (const [name, def] of Object.entries(facts)) factFixtures(def, new URL(`./fixtures/facts/${name}/`, import.meta.url));

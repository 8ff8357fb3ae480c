import { describe, expect, it } from '@jest/globals';
import { planFixtures } from '@shipshape/core/testing';
import { templateRebuild } from './rebuild.js';
import { parseRebuildFacts } from './rebuild-plan.js';

planFixtures(templateRebuild, new URL('./fixtures/rebuild/', import.meta.url));

describe('templateRebuild gather', () => {
  it('parses the one-round-trip gather output', () => {
    const out = '/vz/template/cache\ndebian-12-minimal_12.0_amd64.tar.gz\n@@shipshape-openvz@@\nin-use\n';
    expect(parseRebuildFacts(out)).toEqual({
      cache: { dir: '/vz/template/cache', templates: [{ file: 'debian-12-minimal_12.0_amd64.tar.gz', name: 'debian-12-minimal_12.0_amd64', valid: true, convention: 'aplinfo' }] },
      ctidInUse: true,
    });
    expect(parseRebuildFacts('/vz/template/cache\n@@shipshape-openvz@@\nfree\n').ctidInUse).toBe(false);
  });
});

import { describe, expect, it } from '@jest/globals';
import { planFixtures } from '@shipshape/core/testing';
import { container } from './container.js';
import { parseGuestState } from './facts.js';
import { restoreDrill } from './drill.js';
import { template } from './template.js';
import { vm } from './vm.js';

planFixtures(container, new URL('./fixtures/container/', import.meta.url));

describe('guest state gather output', () => {
  it('reads pct config and pct status from one round trip', () => {
    expect(parseGuestState('pct', 'arch: amd64\nhostname: web1\n@@shipshape-guest@@\nrc=0\nstatus: running\n')).toEqual({ config: { arch: 'amd64', hostname: 'web1' }, status: 'running' });
    expect(parseGuestState('pct', "Configuration file 'nodes/pve1/lxc/101.conf' does not exist\n@@shipshape-guest@@\nrc=255\n")).toEqual({ config: null });
    expect(() => parseGuestState('pct', 'sh: 1: pct: not found\n@@shipshape-guest@@\nrc=127\n')).toThrow(/pct config failed \(exit 127\): sh: 1: pct: not found/);
  });
});

planFixtures(vm, new URL('./fixtures/vm/', import.meta.url));

planFixtures(template, new URL('./fixtures/template/', import.meta.url));

planFixtures(restoreDrill, new URL('./fixtures/drill/', import.meta.url));

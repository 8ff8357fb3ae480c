import { describe, expect, it } from '@jest/globals';
import { planFixtures } from '@shipshape/core/testing';
import { container, parseContainerState } from './container.js';

planFixtures(container, new URL('./fixtures/container/', import.meta.url));

describe('container gather output', () => {
  it('reads vzlist and the config from one round trip', () => {
    const out = '       101 running   ct101 debian-12-minimal_12.0_amd64 10.0.0.1\nrc=0\n@@shipshape-openvz@@\npresent\nHOSTNAME="ct101"\n';
    expect(parseContainerState(out, 101)).toEqual({
      info: { ctid: 101, status: 'running', hostname: 'ct101', ostemplate: 'debian-12-minimal_12.0_amd64', ips: ['10.0.0.1'] },
      config: { HOSTNAME: 'ct101' },
    });
    expect(parseContainerState('Container(s) not found\nrc=1\n@@shipshape-openvz@@\nmissing\n', 101)).toEqual({ info: undefined, config: null });
    expect(() => parseContainerState('This program can only be run under root.\nrc=1\n@@shipshape-openvz@@\nmissing\n', 101)).toThrow(/vzlist failed/);
  });
});

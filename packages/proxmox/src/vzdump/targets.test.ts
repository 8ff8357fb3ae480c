import { describe, expect, it } from '@jest/globals';
import { parseVzlist } from '@shipshape/openvz';
import { intervalNotElapsed, selectTargets } from './module.js';

// `vzlist -a -H -t -o ctid,status,hostname,ostemplate,ip` (openvz's containersFact)
const vzlist = ['       101 running   ct101 debian-12 10.0.0.1', '       102 stopped   - - -', '       103 running   - - -', '       104 mounted   - - -', ''].join('\n');
const cts = parseVzlist(vzlist);

describe('selectTargets', () => {
  it('reads the containers from the one vzlist fact', () => {
    expect(cts.map((c) => [c.ctid, c.status])).toEqual([[101, 'running'], [102, 'stopped'], [103, 'running'], [104, 'mounted']]);
  });
  it('running: only running containers, in id order', () => {
    expect(selectTargets({ running: true }, cts)).toEqual([101, 103]);
  });
  it('ids and running: the running ones among ids', () => {
    expect(selectTargets({ running: true, ids: [103, 102] }, cts)).toEqual([103]);
  });
  it('ids alone: those ids whatever their state, deduplicated', () => {
    expect(selectTargets({ running: false, ids: [104, 102, 104] }, cts)).toEqual([102, 104]);
  });
  it('unknown ids: an error naming them and the known ones', () => {
    expect(() => selectTargets({ running: false, ids: [101, 999] }, cts)).toThrow(
      'vzdump: field "ids": container(s) 999 do not exist on this host (known: 101, 102, 103, 104)',
    );
  });
  it('no containers at all: nothing to do', () => {
    expect(selectTargets({ running: true }, parseVzlist(''))).toEqual([]);
  });
});

describe('intervalNotElapsed', () => {
  const base = { running: true, dumpdir: '/d', mode: 'snapshot', compress: 'gzip', keepLocal: false } as const;
  const offsite = (minIntervalHours?: number) => ({
    ...base,
    offsite: { dest: { type: 'ftp', host: 'n', user: 'u', password: 'p', path: '/' }, keep: 10, name: 'daily', via: 'auto', verify: 'checksum', minIntervalHours },
  }) as const;
  const at = (s: string) => new Date(`${s}Z`);
  it('a dump younger than the interval: no new generation, with the reason', () => {
    expect(intervalNotElapsed(offsite(12), { newest: at('2024-01-31T02:00:05'), now: at('2024-01-31T09:30:05') })).toBe(
      'daily.0 holds dumps from 2024-01-31 02:00:05 (7.5 h ago, less than 12 h): no new generation',
    );
  });
  it('old enough, no dumps yet, or no interval: due', () => {
    expect(intervalNotElapsed(offsite(12), { newest: at('2024-01-30T02:00:05'), now: at('2024-01-31T02:00:04') })).toBeUndefined();
    expect(intervalNotElapsed(offsite(12), { now: at('2024-01-31T02:00:04') })).toBeUndefined();
    expect(intervalNotElapsed(offsite(undefined), { newest: at('2024-01-31T02:00:05'), now: at('2024-01-31T02:00:06') })).toBeUndefined();
  });
});

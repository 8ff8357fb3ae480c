/**
 * Compile-time checks of the public types (run by `npm run typecheck`): each `@ts-expect-error` line
 * must fail to compile, or the type check fails. Nothing calls this.
 */
import { container, renderTemplateName } from './index.js';

export function apiTypeChecks(): unknown[] {
  return [
    container({ ctid: 101, state: 'running' }),
    // @ts-expect-error ctid is a number
    container({ ctid: '101' }),
    // @ts-expect-error state is one of present|running|stopped|absent
    container({ ctid: 101, state: 'started' }),
    // @ts-expect-error arch must be a known architecture
    renderTemplateName({ convention: 'aplinfo', dist: 'debian', version: '12', description: 'x', customVersion: '1', arch: 'sparc' }),
  ];
}

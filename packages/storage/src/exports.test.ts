import { describe, expect, it } from '@jest/globals';
import * as api from './index.js';

describe('@shipshape/storage public surface', () => {
  it('exports exactly these values', () => {
    expect(Object.keys(api).sort()).toEqual([
      'Generation', 'StorageError', 'VerifyError', 'downloadToHost', 'fromHostFile', 'fromLocalFile', 'fromStream', 'generationIndex',
      'openDestination', 'parseNameTime', 'parseRetention', 'planRotation', 'prune', 'rotate', 'rotationNames',
      'selectRetention', 'staleEntries', 'store', 'uploadFile', 'withDestination',
    ]);
  });
});

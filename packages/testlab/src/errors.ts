/** Any failure of the test lab: not root, bad profile, a host that did not come up. */
export class LabError extends Error {
  readonly code = 'LAB' as const;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LabError';
  }
}

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ErrorCodes, WeftError } from './errors.js';

describe('error codes', () => {
  it('are all documented with their HTTP status', () => {
    const doc = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
    for (const [code, status] of Object.entries(ErrorCodes)) {
      expect(doc, code).toMatch(new RegExp(`\\| \`${code}\` \\| ${status} \\|`));
    }
  });

  it('map to their status', () => {
    expect(new WeftError('NOT_FOUND', 'x').status).toBe(404);
    expect(new WeftError('PAYLOAD_TOO_LARGE', 'x').status).toBe(413);
  });
});

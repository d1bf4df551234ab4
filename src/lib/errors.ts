/**
 * One error hierarchy for the whole code base. Every error has a stable `code`;
 * the HTTP, DNS and CLI edges map codes to responses, never messages.
 */
export const ErrorCodes = {
  BAD_REQUEST: 400,
  PERMISSION_DENIED: 403,
  ACL_NOT_FOUND: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  TOO_MANY_REQUESTS: 429,
  INTERNAL: 500,
  NO_LEADER: 500,
  NO_PATH_TO_DC: 500,
  UNAVAILABLE: 503,
  FILTER_INVALID: 400,
  CONFIG_INVALID: 400,
  FLAG_INVALID: 400,
} as const;

export type ErrorCode = keyof typeof ErrorCodes;

export class WeftError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'WeftError';
    this.code = code;
  }

  /** HTTP status this error maps to at the API edge. */
  get status(): number {
    return ErrorCodes[this.code];
  }
}

export function isWeftError(err: unknown, code?: ErrorCode): err is WeftError {
  return err instanceof WeftError && (code === undefined || err.code === code);
}

export const badRequest = (message: string): WeftError => new WeftError('BAD_REQUEST', message);
export const notFound = (message: string): WeftError => new WeftError('NOT_FOUND', message);

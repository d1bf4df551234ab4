import { WeftError } from '../../lib/errors.js';
import type { ApiRequest } from '../request.js';

const TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const FALSE = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

/** `?enable=` of the maintenance endpoints, read as Go's strconv.ParseBool, with Consul's reasons. */
export function parseEnable(req: ApiRequest): boolean {
  if (!req.has('enable')) throw new WeftError('BAD_REQUEST', 'Missing value for enable');
  const raw = req.get('enable') ?? '';
  if (TRUE.has(raw)) return true;
  if (FALSE.has(raw)) return false;
  throw new WeftError('BAD_REQUEST', `Invalid value for enable: ${JSON.stringify(raw)}`);
}

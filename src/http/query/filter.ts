import { compileFilter, type CompiledFilter } from '../../filter/index.js';
import type { ApiRequest } from '../request.js';

/** The request's `?filter=`, compiled once before the blocking loop; a bad expression is a 400. */
export function requestFilter(req: ApiRequest): CompiledFilter | null {
  const expr = req.get('filter');
  return expr ? compileFilter(expr) : null;
}

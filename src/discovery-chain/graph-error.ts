import { WeftError } from '../lib/errors.js';

/** A chain that cannot compile is a refusal of the entries that produce it, with Consul's wording. */
export const graphError = (message: string): WeftError => new WeftError('BAD_REQUEST', message);

import { WILDCARD, type Intention } from './intention-types.js';

/**
 * Consul's precedence for the default namespace: exact -> exact 9, * -> exact 8,
 * exact -> * 6, * -> * 5. Higher wins; it is computed, never written by users.
 */
export function intentionPrecedence(source: string, destination: string): number {
  const max = destination === WILDCARD ? 6 : 9;
  return max - (source === WILDCARD ? 1 : 0);
}

/**
 * Evaluation order: higher precedence first; at equal precedence a deny before an allow (so a
 * tie can never open a path), then by name, so the order is stable.
 */
export function compareIntentions(a: Intention, b: Intention): number {
  if (a.Precedence !== b.Precedence) return b.Precedence - a.Precedence;
  const rank = (i: Intention) => (i.Action === 'deny' || (i.Permissions?.length ?? 0) > 0 ? 0 : 1);
  if (rank(a) !== rank(b)) return rank(a) - rank(b);
  if (a.SourceName !== b.SourceName) return a.SourceName < b.SourceName ? -1 : 1;
  return a.DestinationName < b.DestinationName ? -1 : a.DestinationName > b.DestinationName ? 1 : 0;
}

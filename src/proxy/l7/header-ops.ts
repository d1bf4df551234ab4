/**
 * Request and response header changes of routes and splits (Consul's HTTPHeaderModifiers),
 * folded at compile time into one list of operations applied per request.
 */
import type { HttpHeaderModifiers } from '../../state/index.js';
import type { HeaderBag } from './request-head.js';

/** Applied in this order: remove, then set (replace), then add (append). Names are lower-case. */
export interface HeaderOps {
  add: readonly [string, string][];
  set: readonly [string, string][];
  remove: readonly string[];
}

// Envoy refuses to modify pseudo-headers and Host (HeaderUtility::isModifiableHeader); so does Weft.
const modifiable = (name: string): boolean => name !== '' && name.charCodeAt(0) !== 58 /* : */ && name !== 'host';

const entriesOf = (m: Record<string, string> | undefined): [string, string][] =>
  Object.entries(m ?? {})
    .map(([k, v]): [string, string] => [k.toLowerCase(), String(v)])
    .filter(([k]) => modifiable(k));

/**
 * Folds modifiers into one set of operations that acts as if each were applied in turn, the
 * way Envoy applies one level: removals first, then Add (append), then Set (overwrite), so a
 * name both added and set ends with the Set value. A later modifier's Set or Remove wipes what
 * earlier ones added or set for that name. Null when there is nothing to do.
 */
export function compileHeaderOps(...mods: (HttpHeaderModifiers | undefined)[]): HeaderOps | null {
  let add: [string, string][] = [];
  const set = new Map<string, string>();
  const remove = new Set<string>();
  for (const m of mods) {
    if (!m) continue;
    for (const name of (m.Remove ?? []).map((n) => n.toLowerCase()).filter(modifiable)) {
      set.delete(name);
      add = add.filter(([n]) => n !== name);
      remove.add(name);
    }
    const sets = entriesOf(m.Set);
    for (const [name, value] of sets) {
      add = add.filter(([n]) => n !== name);
      set.set(name, value);
    }
    const setNames = new Set(sets.map(([n]) => n));
    for (const entry of entriesOf(m.Add)) if (!setNames.has(entry[0])) add.push(entry);
  }
  if (!add.length && !set.size && !remove.size) return null;
  return { add, set: [...set], remove: [...remove] };
}

/** Applies `ops` to a lower-case header object in place; Add makes a repeated header, as Envoy's append does. */
export function applyHeaderOps(headers: HeaderBag, ops: HeaderOps): void {
  for (let i = 0; i < ops.remove.length; i++) delete headers[ops.remove[i]];
  for (let i = 0; i < ops.set.length; i++) headers[ops.set[i][0]] = ops.set[i][1];
  for (let i = 0; i < ops.add.length; i++) {
    const [name, value] = ops.add[i];
    const cur = headers[name];
    headers[name] = cur === undefined ? value : typeof cur === 'string' ? [cur, value] : [...cur, value];
  }
}

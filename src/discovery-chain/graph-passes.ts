/** Passes over an assembled chain graph: loop detection, splitter flattening, pruning. */
import { WeftError } from '../lib/errors.js';
import { normalizeWeight } from '../state/index.js';
import { mergeParentSplit } from './merge-headers.js';
import type { DiscoveryGraphNode, DiscoverySplit } from './types.js';

type Nodes = Map<string, DiscoveryGraphNode>;

function next(node: DiscoveryGraphNode): string[] {
  if (node.Type === 'router') return (node.Routes ?? []).map((r) => r.NextNode);
  if (node.Type === 'splitter') return (node.Splits ?? []).map((s) => s.NextNode);
  // Redirect loops are caught while resolving; failover does not chain further.
  return [];
}

/** A splitter that (through others) splits back to itself has no weights that could ever settle. */
export function detectCircularReferences(nodes: Nodes, start: string): void {
  const path: string[] = [];
  const onPath = new Set<string>();
  const done = new Set<string>();
  const visit = (key: string): void => {
    path.push(key);
    if (onPath.has(key)) throw new WeftError('BAD_REQUEST', `detected circular reference: [${path.join(' -> ')}]`);
    if (!done.has(key)) {
      onPath.add(key);
      const node = nodes.get(key);
      if (node) for (const n of next(node)) visit(n);
      onPath.delete(key);
      done.add(key);
    }
    path.pop();
  };
  visit(start);
}

/**
 * Replaces every split that leads to another splitter by that splitter's splits, with
 * weights multiplied (90% of a 50/50 split is 45/45) and header changes merged, until no
 * splitter points at a splitter: the data plane picks a backend with one weighted draw.
 */
export function flattenAdjacentSplitters(nodes: Nodes): void {
  for (;;) {
    let changed = false;
    for (const node of nodes.values()) {
      if (node.Type !== 'splitter') continue;
      const splits = node.Splits ?? [];
      if (!splits.some((s) => nodes.get(s.NextNode)?.Type === 'splitter')) continue;
      const flat: DiscoverySplit[] = [];
      for (const split of splits) {
        const inner = nodes.get(split.NextNode);
        if (inner?.Type !== 'splitter') {
          flat.push(split);
          continue;
        }
        for (const innerSplit of inner.Splits ?? []) {
          flat.push({
            Definition: mergeParentSplit(innerSplit.Definition, split.Definition),
            Weight: normalizeWeight((split.Weight * innerSplit.Weight) / 100),
            NextNode: innerSplit.NextNode,
          });
        }
      }
      node.Splits = flat;
      changed = true;
    }
    if (!changed) return;
  }
}

/** Drops the nodes no path from the start reaches any more (inner splitters after flattening). */
export function removeUnusedNodes(nodes: Nodes, start: string): void {
  const seen = new Set<string>();
  const todo = [start];
  while (todo.length) {
    const key = todo.pop()!;
    if (seen.has(key)) continue;
    seen.add(key);
    const node = nodes.get(key);
    if (!node) throw new WeftError('INTERNAL', `compilation references non-retained node ${JSON.stringify(key)}`);
    todo.push(...next(node));
  }
  for (const key of [...nodes.keys()]) if (!seen.has(key)) nodes.delete(key);
}

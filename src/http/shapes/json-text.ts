import type { HealthEntry, NodeRow, ServiceRow } from '../../state/index.js';
import type { Reply } from '../reply.js';
import { healthCheckJson } from './check.js';
import { nodeJson } from './node.js';
import { nodeServiceJson, serviceNodeJson } from './service.js';

/**
 * The JSON text of a cached shape, itself cached: a service's answer is mostly rows that did
 * not change since the last request, so serializing them again is wasted work (it was the
 * largest cost of `/v1/health/service/:s` for 100 instances).
 */
const texts = new WeakMap<object, string>();

export function jsonText(shape: object): string {
  let text = texts.get(shape);
  if (text === undefined) {
    text = JSON.stringify(shape);
    texts.set(shape, text);
  }
  return text;
}

/** Same bytes as JSON.stringify(healthEntryJson(e)), assembled from cached pieces. */
export function healthEntryText(e: HealthEntry): string {
  let checks = '';
  for (let i = 0; i < e.Checks.length; i++) checks += (i ? ',' : '') + jsonText(healthCheckJson(e.Checks[i]));
  return `{"Node":${jsonText(nodeJson(e.Node))},"Service":${jsonText(nodeServiceJson(e.Service))},"Checks":[${checks}]}`;
}

export function serviceNodeText(s: ServiceRow, n: NodeRow): string {
  return jsonText(serviceNodeJson(s, n));
}

/**
 * A JSON array reply built from per-item text; `?pretty` needs the objects, so it gets
 * them and the server indents them as usual.
 */
export function arrayReply<T>(pretty: boolean, items: readonly T[], toObject: (item: T) => unknown, toText: (item: T) => string): Reply {
  if (pretty) return { body: items.map(toObject) };
  let raw = '[';
  for (let i = 0; i < items.length; i++) raw += (i ? ',' : '') + toText(items[i]);
  return { raw: `${raw}]`, contentType: 'application/json' };
}

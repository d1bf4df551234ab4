import type { ApiClient } from '../../../api/index.js';
import { uuidIndex } from '../../../lib/uuid-index.js';
import { getPair, listPairs, type KVPair } from '../kv/kv-api.js';

/**
 * What each watch type reads (Consul's api/watch/funcs.go). A plan fetch blocks on the
 * previous index and returns the new index with the value handed to the handler.
 */
export interface WatchParams {
  key: string;
  prefix: string;
  service: string;
  tag: string[];
  passingonly: boolean;
  state: string;
  name: string;
}

export interface Fetched {
  index: number;
  value: unknown;
}

export type Fetch = (client: ApiClient, index: number, signal: AbortSignal) => Promise<Fetched>;

export interface PlanType {
  /** The parameters this type reads; any other given one is an error, as in Consul. */
  params: readonly (keyof WatchParams)[];
  /** Checks the parameters and returns the fetch, or throws with Consul's message. */
  build(p: WatchParams): Fetch;
}

/** The api.KVPair JSON the Go client hands a watch handler (Session always present). */
function pairJson(p: KVPair): Record<string, unknown> {
  return { Key: p.Key, CreateIndex: p.CreateIndex, ModifyIndex: p.ModifyIndex, LockIndex: p.LockIndex, Flags: p.Flags, Value: p.Value, Session: p.Session ?? '' };
}

const passThrough =
  (path: (p: WatchParams) => string, query: (p: WatchParams) => Record<string, string | boolean | string[] | undefined> = () => ({})) =>
  (p: WatchParams): Fetch =>
  async (client, index, signal) => {
    const res = await client.get<unknown>(path(p), { query: { ...query(p), index: index || undefined }, signal });
    return { index: res.meta.index, value: res.body };
  };

const need = (value: string, message: string): void => {
  if (!value) throw new Error(message);
};

export const PLAN_TYPES: Record<string, PlanType> = {
  key: {
    params: ['key'],
    build(p) {
      need(p.key, 'Must specify a single key to watch');
      return async (client, index, signal) => {
        const { pair, index: at } = await getPair(client, p.key, { index, signal });
        return { index: at, value: pair ? pairJson(pair) : null };
      };
    },
  },
  keyprefix: {
    params: ['prefix'],
    build(p) {
      need(p.prefix, 'Must specify a single prefix to watch');
      return async (client, index, signal) => {
        const { pairs, index: at } = await listPairs(client, p.prefix, { index, signal });
        return { index: at, value: pairs.length ? pairs.map(pairJson) : null };
      };
    },
  },
  services: { params: [], build: passThrough(() => '/v1/catalog/services') },
  nodes: { params: [], build: passThrough(() => '/v1/catalog/nodes') },
  service: {
    params: ['service', 'tag', 'passingonly'],
    build(p) {
      need(p.service, 'Must specify a single service to watch');
      return passThrough(
        () => `/v1/health/service/${encodeURIComponent(p.service)}`,
        () => ({ tag: p.tag.length ? p.tag : undefined, passing: p.passingonly || undefined }),
      )(p);
    },
  },
  checks: {
    params: ['service', 'state', 'tag'],
    build(p) {
      if (p.service && p.state) throw new Error('Cannot specify service and state');
      if (p.service) return passThrough(() => `/v1/health/checks/${encodeURIComponent(p.service)}`)(p);
      const state = p.state || 'any';
      return passThrough(() => `/v1/health/state/${encodeURIComponent(state)}`, () => ({ tag: p.tag.length ? p.tag : undefined }))(p);
    },
  },
  event: {
    params: ['name'],
    build(p) {
      return async (client, index, signal) => {
        const res = await client.get<{ ID: string }[]>('/v1/event/list', { query: { name: p.name || undefined, index: index || undefined }, signal });
        let events = res.body ?? [];
        // Only the events after the one the previous index came from are new.
        const seen = events.findIndex((e) => Number(uuidIndex(e.ID)) === index);
        if (seen >= 0) events = events.slice(seen + 1);
        return { index: res.meta.index, value: events };
      };
    },
  },
};

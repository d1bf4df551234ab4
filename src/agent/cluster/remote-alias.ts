import type { Logger } from 'pino';
import { ApiClient } from '../../api/index.js';
import { aliasStatus, type AliasedCheck, type AliasSource } from '../../checks/index.js';
import { nodeChecks, nodeServices, WatchSet, type StateStore } from '../../state/index.js';

type Target = { node?: string; serviceId?: string };
type OnStatus = (status: 'passing' | 'warning' | 'critical', output: string) => void;

/** Alias checks on another node, read from the server's own store and woken by its writes. */
export function storeAliasSource(store: StateStore): AliasSource {
  return {
    subscribe(target: Target, onStatus: OnStatus) {
      let unsubscribe = () => {};
      let stopped = false;
      const evaluate = () => {
        if (stopped) return;
        const ws = new WatchSet();
        const node = target.node ?? '';
        const checks = nodeChecks(store, ws, node).checks;
        const services = nodeServices(store, ws, node).services;
        const r = aliasStatus(checks, target, () => !target.serviceId || services.some((s) => s.ID === target.serviceId));
        onStatus(r.status, r.output);
        unsubscribe = store.hub.subscribe(ws.topics, () => {
          unsubscribe();
          setImmediate(evaluate);
        });
      };
      setImmediate(evaluate);
      return () => {
        stopped = true;
        unsubscribe();
      };
    },
  };
}

/**
 * Alias checks on another node, seen from a client agent: a blocking query on the node's
 * health at the server it forwards to (Consul's remote alias does the same over RPC).
 */
export function remoteAliasSource(server: () => string | null, log: Logger, connect?: (addr: string) => ApiClient): AliasSource {
  return {
    subscribe(target: Target, onStatus: OnStatus) {
      const ac = new AbortController();
      void (async () => {
        let index = 0;
        let client: ApiClient | null = null;
        let clientAddr = '';
        while (!ac.signal.aborted) {
          const addr = server();
          try {
            if (!addr) throw new Error('No known Consul servers');
            if (addr !== clientAddr) {
              client?.close();
              client = connect ? connect(addr) : new ApiClient({ address: `http://${addr}` });
              clientAddr = addr;
            }
            const node = encodeURIComponent(target.node ?? '');
            const r = await client!.get<AliasedCheck[]>(`/v1/health/node/${node}`, { query: { index, wait: '5m' }, signal: ac.signal });
            index = r.meta.index < index ? 0 : r.meta.index;
            const found = r.body.some((c) => c.ServiceID === target.serviceId);
            let exists = !target.serviceId || found;
            if (!exists) {
              const n = await client!.get<{ Services?: Record<string, unknown> } | null>(`/v1/catalog/node/${node}`, { signal: ac.signal, accept: [404] });
              exists = !!n.body?.Services && target.serviceId! in n.body.Services;
            }
            const v = aliasStatus(r.body, target, () => exists);
            onStatus(v.status, v.output);
          } catch (err) {
            if (ac.signal.aborted) break;
            log.debug({ err, target }, 'alias check could not read its target; retrying');
            onStatus('critical', `Alias target could not be read: ${(err as Error).message}`);
            await new Promise((r) => setTimeout(r, 1000).unref());
          }
        }
        client?.close();
      })();
      return () => ac.abort();
    },
  };
}

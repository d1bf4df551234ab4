import type { Logger } from 'pino';
import { aliasStatus, CheckRunner, type AliasSource, type CheckDefinition, type CheckStatus } from '../../checks/index.js';
import { WeftError } from '../../lib/errors.js';
import { CHECKS_TOPIC, SERVICES_TOPIC, type LocalState } from './state.js';

/** How alias checks learn the health of a node other than this agent's (the server's store, or a blocking query). */
export type RemoteAliasSource = AliasSource;

export interface RunnersOptions {
  state: LocalState;
  log: Logger;
  scriptChecksEnabled: (source: 'local' | 'remote') => boolean;
  remoteAlias?: RemoteAliasSource;
}

/**
 * One CheckRunner per running check, feeding results into the local state. Alias checks on
 * this agent's own services read the local state directly (Consul's local alias), so a
 * sidecar's alias check follows its service without a round trip to the servers.
 */
export class CheckRunners {
  private readonly runners = new Map<string, CheckRunner>();

  constructor(private readonly opts: RunnersOptions) {}

  start(def: CheckDefinition, source: 'local' | 'remote', initial?: { status: CheckStatus; output: string }): void {
    this.stop(def.id);
    const { state } = this.opts;
    const remoteTarget = def.aliasNode !== undefined && def.aliasNode.toLowerCase() !== state.nodeName.toLowerCase();
    const runner = new CheckRunner(def, {
      onUpdate: (u) => state.updateCheck(u.id, u.status, u.output),
      aliasSource: remoteTarget ? this.opts.remoteAlias : { subscribe: (target, onStatus) => this.subscribeLocal(def.id, target, onStatus) },
      log: this.opts.log,
      scriptChecksEnabled: this.opts.scriptChecksEnabled(source),
      ...(initial ? { initial } : {}),
    });
    this.runners.set(def.id, runner);
    runner.start();
  }

  stop(id: string): void {
    this.runners.get(id)?.stop();
    this.runners.delete(id);
  }

  stopAll(): void {
    for (const r of this.runners.values()) r.stop();
    this.runners.clear();
  }

  /** A TTL check's pass/warn/fail/update; returns the output as stored. */
  ttlUpdate(id: string, status: CheckStatus, output: string): string {
    const runner = this.runners.get(id);
    if (!runner || runner.def.type !== 'ttl') throw new WeftError('INTERNAL', `CheckID "${id}" does not have associated TTL`);
    return runner.ttlUpdate(status, output);
  }

  private subscribeLocal(
    selfId: string,
    target: { node?: string; serviceId?: string },
    onStatus: (s: CheckStatus, output: string) => void,
  ): () => void {
    const { state } = this.opts;
    const evaluate = () => {
      // A node-level alias check must not count itself among the node's checks.
      const checks = state.allChecks().flatMap((c) => (c.check.CheckID === selfId ? [] : [c.check]));
      const r = aliasStatus(checks, { node: state.nodeName, ...(target.serviceId ? { serviceId: target.serviceId } : {}) }, () =>
        target.serviceId ? state.service(target.serviceId) !== undefined : true,
      );
      onStatus(r.status, r.output);
    };
    let unsubscribe = () => {};
    const watch = () => {
      unsubscribe = state.hub.subscribe([CHECKS_TOPIC, SERVICES_TOPIC], () => {
        unsubscribe();
        // Re-evaluate after the change that woke us has finished (a registration adds service and checks together).
        setImmediate(() => {
          if (stopped) return;
          evaluate();
          watch();
        });
      });
    };
    let stopped = false;
    setImmediate(() => {
      if (stopped) return;
      evaluate();
      watch();
    });
    return () => {
      stopped = true;
      unsubscribe();
    };
  }
}

import type { Logger } from 'pino';
import type { RuntimeConfig, LoadResult } from '../../config/index.js';
import { formatProblem } from '../../config/index.js';
import type { AgentServiceRow, LocalAgentApi } from '../../http/handlers/agent-local.js';
import { WeftError, isWeftError } from '../../lib/errors.js';
import type { CheckRow, NodeInput } from '../../state/index.js';
import { AntiEntropy, type CatalogSink } from '../anti-entropy.js';
import { ConfigDefinitions } from './config-definitions.js';
import { LocalPersistence } from './persist.js';
import { CriticalServiceReaper } from './reaper.js';
import { LocalRegistry } from './registry.js';
import { CheckRunners, type RemoteAliasSource } from './runners.js';
import { LocalState, serviceTopic } from './state.js';

export interface LocalAgentOptions {
  config: RuntimeConfig;
  /** Where API registrations are kept across restarts; null (dev mode) keeps them in memory only. */
  dataDir: string | null;
  node: () => NodeInput;
  sink: () => CatalogSink | null;
  clusterSize: () => number;
  cluster: { join(address: string): Promise<void>; forceLeave(node: string, prune: boolean, token?: string): Promise<void> };
  /** Re-reads the config files and flags (reload); absent when the agent was built without files. */
  reloadConfig?: () => Promise<LoadResult>;
  /** Called with the reloaded config once its services and checks are applied. */
  onReload?: (config: RuntimeConfig) => void;
  remoteAlias?: RemoteAliasSource;
  log: Logger;
}

/**
 * Everything the agent owns locally — services, checks, their runners, the critical-service
 * reaper, the copy kept in the data dir, the config-file definitions — and the anti-entropy
 * that keeps the catalog in step. The agent endpoints talk to it through LocalAgentApi.
 */
export class LocalAgent implements LocalAgentApi {
  readonly state: LocalState;
  readonly antiEntropy: AntiEntropy;
  private readonly registry: LocalRegistry;
  private readonly runners: CheckRunners;
  private readonly configDefs: ConfigDefinitions;
  private readonly reaper: CriticalServiceReaper;
  private readonly token: string;

  constructor(private readonly opts: LocalAgentOptions) {
    const { config, log } = opts;
    this.state = new LocalState({ nodeName: config.nodeName });
    const scriptChecksEnabled = (source: 'local' | 'remote') =>
      config.enableScriptChecks || (source === 'local' && config.enableLocalScriptChecks);
    this.runners = new CheckRunners({ state: this.state, log, scriptChecksEnabled, remoteAlias: opts.remoteAlias });
    this.registry = new LocalRegistry({
      state: this.state,
      runners: this.runners,
      persistence: opts.dataDir ? new LocalPersistence(opts.dataDir) : null,
      sidecarRange: { min: config.ports.sidecarMinPort, max: config.ports.sidecarMaxPort },
      scriptChecksEnabled,
      log,
    });
    this.configDefs = new ConfigDefinitions(this.registry, this.state);
    this.reaper = new CriticalServiceReaper(this.state, this.registry, log);
    this.antiEntropy = new AntiEntropy({ state: this.state, node: opts.node, sink: opts.sink, clusterSize: opts.clusterSize, log });
    this.token = (config.acl.tokens as { config_file_service_registration?: string } | undefined)?.config_file_service_registration ?? '';
  }

  get hub() {
    return this.state.hub;
  }

  /** Registers the config files' services and checks, restores API registrations, starts syncing. */
  start(): void {
    this.configDefs.apply(this.opts.config.services, this.opts.config.checks, this.token);
    this.registry.restore();
    this.antiEntropy.start();
    this.reaper.start();
  }

  stop(): void {
    this.reaper.stop();
    this.antiEntropy.stop();
    this.runners.stopAll();
    this.state.close();
  }

  serviceTopic(id: string): string {
    return serviceTopic(id);
  }

  services(): AgentServiceRow[] {
    return this.state.allServices().map((s) => ({ ...s.service, CreateIndex: 0, ModifyIndex: 0 }));
  }

  service(id: string): AgentServiceRow | undefined {
    const s = this.state.service(id)?.service;
    return s && { ...s, CreateIndex: 0, ModifyIndex: 0 };
  }

  checks(): CheckRow[] {
    return this.state.allChecks().map((c) => c.check);
  }

  checksOf(serviceId: string): CheckRow[] {
    return this.state.checksOf(serviceId).map((c) => c.check);
  }

  registerService(body: unknown, o: { token: string; replaceExistingChecks: boolean }): Promise<void> {
    return this.changed(() => this.registry.registerService(body, { source: 'remote', ...o }));
  }

  deregisterService(id: string): Promise<void> {
    return this.changed(() => this.registry.deregisterService(id));
  }

  registerCheck(body: unknown, token: string): Promise<void> {
    return this.changed(() => this.registry.registerCheck(body, { source: 'remote', token }));
  }

  deregisterCheck(id: string): Promise<void> {
    return this.changed(() => this.registry.deregisterCheck(id));
  }

  updateCheck(id: string, status: 'passing' | 'warning' | 'critical', output: string): Promise<void> {
    return this.changed(() => this.registry.ttlUpdate(id, status, output));
  }

  nodeMaintenance(enable: boolean, reason: string, token: string): Promise<void> {
    return this.changed(() => (enable ? this.registry.enableNodeMaintenance(reason, token) : this.registry.disableNodeMaintenance()));
  }

  serviceMaintenance(id: string, enable: boolean, reason: string, token: string): Promise<void> {
    return this.changed(() =>
      enable ? this.registry.enableServiceMaintenance(id, reason, token) : this.registry.disableServiceMaintenance(id),
    );
  }

  /** `weft reload`, `/v1/agent/reload`, SIGHUP: re-reads the files; a bad file changes nothing and says why. */
  async reload(): Promise<void> {
    if (!this.opts.reloadConfig) throw new WeftError('INTERNAL', 'this agent was started without config files to reload');
    const result = await this.opts.reloadConfig();
    if (result.errors.length) throw new WeftError('INTERNAL', `Failed reloading config: ${formatProblem(result.errors[0])}`);
    try {
      const changes = this.configDefs.apply(result.config.services, result.config.checks, this.token);
      this.opts.log.info(changes, 'configuration reloaded');
    } catch (err) {
      if (isWeftError(err)) throw new WeftError('INTERNAL', `Failed reloading config: ${err.message}`);
      throw err;
    }
    this.opts.onReload?.(result.config);
    await this.antiEntropy.syncSoon();
  }

  join(address: string): Promise<void> {
    return this.opts.cluster.join(address);
  }

  forceLeave(node: string, prune: boolean, token?: string): Promise<void> {
    return this.opts.cluster.forceLeave(node, prune, token);
  }

  /** Applies a change, then waits for the sync it triggers (Consul's handlers call syncChanges too). */
  private async changed(change: () => void): Promise<void> {
    change();
    await this.antiEntropy.syncSoon();
  }
}

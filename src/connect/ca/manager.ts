import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { WeftError } from '../../lib/errors.js';
import { caActiveSigner, caConfig, caRoots, tableTopic, CA_ROOTS, type CARootRow, type StateStore } from '../../state/index.js';
import { rfc3339 } from '../rfc3339.js';
import { parseSpiffeUri, shortTrustDomain, trustDomainOf, type SpiffeId } from '../spiffe.js';
import { caConfigJson, parseCAConfig, type CAConfigValues } from './config.js';
import { crossSign } from './cross-sign.js';
import { parseCsr } from './csr.js';
import { importSigningKey, type SigningKey } from './keys.js';
import { signLeaf } from './leaf.js';
import { rootFromConfig, rotationFor } from './new-root.js';
import { CsrLimiter } from './rate-limit.js';
import { rootRow } from './root-row.js';
import { PruneTimer } from './prune.js';

export interface CAManagerOptions {
  store: StateStore;
  datacenter: string;
  isLeader: () => boolean;
  log: Logger;
  /** `connect.ca_config` from the agent's files: the configuration of the first root. */
  bootstrapConfig: Record<string, unknown>;
}

/** What the server's signer returns (Consul's IssuedCert, without the private key the agent holds). */
export interface IssuedCert {
  SerialNumber: string;
  CertPEM: string;
  Service?: string;
  ServiceURI?: string;
  Agent?: string;
  AgentURI?: string;
  ValidAfter: string;
  ValidBefore: string;
  /** SigningKeyID of the root that signed it: a leaf is stale once another root is active. */
  SigningKeyID: string;
  CreateIndex: number;
  ModifyIndex: number;
}

export interface CAConfigRequest {
  Provider?: string;
  Config?: Record<string, unknown>;
  ForceWithoutCrossSigning?: boolean;
}

/**
 * The server side of the built-in CA (Consul's CAManager with the consul provider): sets the
 * CA up on first start, signs CSRs with the active root, rotates on a configuration change
 * (cross-signing the new root with the old one) and prunes roots nobody can still need.
 */
export class CAManager {
  readonly ready: Promise<void>;
  private readonly keys = new Map<string, Promise<SigningKey>>();
  private readonly limiter = new CsrLimiter(50, 0);
  private readonly pruner: PruneTimer;
  private unsubscribe: () => void = () => {};
  private failSetup: (err: WeftError) => void = () => {};

  constructor(private readonly opts: CAManagerOptions) {
    this.pruner = new PruneTimer(opts.store, opts.isLeader, opts.log);
    const failed = new Promise<never>((_, reject) => (this.failSetup = reject));
    this.ready = Promise.race([this.waitForRoots(), failed]);
    // Nobody may be waiting yet; a failed setup is reported through `ready` when asked.
    this.ready.catch(() => {});
  }

  start(): void {
    if (!caConfig(this.opts.store, null).config && this.opts.isLeader()) {
      void this.bootstrap().catch((err: Error) => {
        this.opts.log.error({ err }, 'failed to set up the Connect CA');
        // Leaf requests fail with the reason instead of waiting for roots that will not come.
        this.failSetup(new WeftError('INTERNAL', `the Connect CA could not be set up: ${err.message}`));
      });
    }
    this.pruner.schedule();
  }

  stop(): void {
    this.unsubscribe();
    this.pruner.stop();
  }

  private waitForRoots(): Promise<void> {
    const has = () => caRoots(this.opts.store, null).activeRootId !== '';
    if (has()) return Promise.resolve();
    return new Promise((resolve) => {
      this.unsubscribe = this.opts.store.hub.subscribe([tableTopic(CA_ROOTS)], () => {
        if (!has()) return;
        this.unsubscribe();
        resolve();
      });
    });
  }

  private async bootstrap(): Promise<void> {
    const values = parseCAConfig(this.opts.bootstrapConfig);
    const clusterId = randomUUID();
    const material = await rootFromConfig(values, clusterId, trustDomainOf(clusterId), new Date());
    const applied = await this.opts.store.apply<boolean>({
      type: 'ca.initialize',
      ClusterID: clusterId,
      Config: { Provider: 'consul', Config: caConfigJson(withKeySpec(values, material.key)), ForceWithoutCrossSigning: false },
      Root: rootRow(material.pem, clusterId),
      PrivateKey: material.key.pem,
    });
    if (applied) this.opts.log.info({ cluster_id: clusterId, key: `${material.key.spec.type}-${material.key.spec.bits}` }, 'initialized the Connect CA with a new root');
  }

  /** The stored configuration, parsed (defaults filled in). */
  currentConfig(): CAConfigValues {
    const row = caConfig(this.opts.store, null).config;
    if (!row) throw notReady();
    return parseCAConfig(row.Config);
  }

  private signingKey(rootId: string, pem: string): Promise<SigningKey> {
    let key = this.keys.get(rootId);
    if (!key) {
      key = importSigningKey(pem);
      this.keys.set(rootId, key);
    }
    return key;
  }

  private async active(): Promise<{ root: CARootRow; key: SigningKey; clusterId: string }> {
    const signer = caActiveSigner(this.opts.store);
    const config = caConfig(this.opts.store, null).config;
    if (!signer || !config) throw notReady();
    return { root: signer.root, key: await this.signingKey(signer.root.ID, signer.privateKey), clusterId: config.ClusterID };
  }

  /** PUT /v1/connect/ca/configuration: validates, then updates the config or rotates the root. */
  async setConfig(req: CAConfigRequest): Promise<void> {
    const provider = req.Provider || 'consul';
    if (provider !== 'consul') throw new WeftError('BAD_REQUEST', `CA provider "${provider}" is not supported: Weft's built-in provider is "consul"`);
    await this.ready;
    let values = parseCAConfig(req.Config ?? {});
    const active = await this.active();
    const force = Boolean(req.ForceWithoutCrossSigning);
    const rotate = (await rotationFor(values, { pem: active.root.RootCert, key: active.key })) === 'rotate';
    const current = caConfig(this.opts.store, null).config!;
    const now = new Date();
    if (!rotate) {
      if (values.PrivateKey) values = withKeySpec(values, active.key);
      const Config = caConfigJson(values);
      if (JSON.stringify(Config) === JSON.stringify(current.Config) && current.ForceWithoutCrossSigning === force) return;
      await this.opts.store.apply({ type: 'ca.setConfig', Config: { Provider: provider, Config, ForceWithoutCrossSigning: force }, ExpectActiveRootID: active.root.ID });
      return;
    }
    const material = await rootFromConfig(values, active.clusterId, trustDomainOf(active.clusterId), now);
    values = withKeySpec(values, material.key);
    const intermediates = force
      ? []
      : [await crossSign({ newRootPem: material.pem, oldRootPem: active.root.RootCert, oldKey: active.key, leafTtlMs: values.LeafCertTTL, now })];
    // Every leaf the old root signed has expired after one (old) leaf lifetime; Consul keeps it twice that.
    const oldLeafTtl = parseCAConfig(current.Config).LeafCertTTL;
    await this.opts.store.apply({
      type: 'ca.setConfig',
      Config: { Provider: provider, Config: caConfigJson(values), ForceWithoutCrossSigning: force },
      ExpectActiveRootID: active.root.ID,
      NewRoot: rootRow(material.pem, active.clusterId, intermediates),
      PrivateKey: material.key.pem,
      RotatedOutAt: rfc3339(now),
      PruneAfter: rfc3339(new Date(now.getTime() + 2 * Math.max(oldLeafTtl, values.LeafCertTTL))),
    });
    this.opts.log.info({ key: `${material.key.spec.type}-${material.key.spec.bits}`, cross_signed: !force }, 'rotated the Connect CA to a new root');
    this.pruner.schedule();
  }

  /**
   * Signs a CSR for a service (or agent) of this datacenter and trust domain. The certificate
   * comes back with the active root's intermediates appended, as Consul's CertPEM does.
   */
  async sign(csrPem: string): Promise<IssuedCert & { id: SpiffeId }> {
    await this.ready;
    const cfg = this.currentConfig();
    this.limiter.configure(cfg.CSRMaxPerSecond ?? 50, cfg.CSRMaxConcurrent ?? 0);
    return this.limiter.run(async () => {
      const csr = await parseCsr(csrPem);
      if (csr.uris.length !== 1) throw new WeftError('BAD_REQUEST', `CSR SAN contains an invalid number of URIs: ${csr.uris.length}`);
      const id = parseSpiffeUri(csr.uris[0]);
      if (!id || (id.kind !== 'service' && id.kind !== 'agent')) throw new WeftError('BAD_REQUEST', 'SPIFFE ID in CSR must be a service or agent ID');
      const active = await this.active();
      const td = trustDomainOf(active.clusterId);
      if (id.trustDomain !== td) throw new WeftError('BAD_REQUEST', `SPIFFE ID in CSR from a different trust domain: ${id.trustDomain}, trust domain: ${td}`);
      if (id.datacenter !== this.opts.datacenter) {
        throw new WeftError('BAD_REQUEST', `SPIFFE ID in CSR from a different datacenter: ${id.datacenter}, datacenter: ${this.opts.datacenter}`);
      }
      if (id.kind === 'service' && (id.namespace !== 'default' || id.partition)) throw new WeftError('BAD_REQUEST', 'SPIFFE ID in CSR must be in the default namespace');
      for (const dns of csr.dnsNames) {
        if (!dns.endsWith(`.${td}`) && !dns.endsWith(`.${shortTrustDomain(td)}`)) {
          throw new WeftError('BAD_REQUEST', `CSR DNS name "${dns}" is outside the trust domain ${td}`);
        }
      }
      const name = id.kind === 'service' ? id.service : id.agent;
      const leaf = await signLeaf({ csr, caCertPem: active.root.RootCert, caKey: active.key, ttlMs: cfg.LeafCertTTL, now: new Date(), commonName: name });
      const index = caRoots(this.opts.store, null).index;
      return {
        id,
        SerialNumber: leaf.serial,
        CertPEM: leaf.pem + active.root.IntermediateCerts.join(''),
        ...(id.kind === 'service' ? { Service: id.service, ServiceURI: csr.uris[0] } : { Agent: id.agent, AgentURI: csr.uris[0] }),
        ValidAfter: rfc3339(leaf.validAfter),
        ValidBefore: rfc3339(leaf.validBefore),
        SigningKeyID: active.root.SigningKeyID,
        CreateIndex: index,
        ModifyIndex: index,
      };
    });
  }
}

function notReady(): WeftError {
  return new WeftError('UNAVAILABLE', 'the Connect CA is not initialized yet');
}

/** The stored config names the key actually in use, so re-applying it does not rotate. */
function withKeySpec(values: CAConfigValues, key: SigningKey): CAConfigValues {
  return { ...values, PrivateKeyType: key.spec.type, PrivateKeyBits: key.spec.bits };
}


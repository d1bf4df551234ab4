import type { Logger } from 'pino';
import { WeftError } from '../../lib/errors.js';
import type { WatchHub } from '../../state/index.js';
import type { IssuedCert } from '../ca/manager.js';
import { createCsr } from '../ca/csr.js';
import { generateSigningKey } from '../ca/keys.js';
import { serviceDnsName, serviceSpiffeUri } from '../spiffe.js';

/** How the agent gets a CSR signed: in-process on a server, over HTTP from a client agent. */
export interface LeafSigner {
  sign(csrPem: string, token: string): Promise<IssuedCert>;
}

/** The agent's view of the roots: enough to build a SPIFFE ID and to notice a rotation. */
export interface RootsWatch {
  current(): { trustDomain: string; activeSigningKeyId: string } | null;
  subscribe(onChange: () => void): () => void;
}

/** The leaf as /v1/agent/connect/ca/leaf/:service answers it. */
export interface LeafCert {
  SerialNumber: string;
  CertPEM: string;
  PrivateKeyPEM: string;
  Service: string;
  ServiceURI: string;
  ValidAfter: string;
  ValidBefore: string;
  Namespace: string;
  CreateIndex: number;
  ModifyIndex: number;
}

export interface LeafCacheOptions {
  signer: LeafSigner;
  roots: RootsWatch;
  datacenter: string;
  /** Where blocking readers of a leaf wait (`leafTopic`). */
  hub: WatchHub;
  /** A floor for leaf indexes (the store's index), so they never go backwards across restarts. */
  baseIndex: () => number;
  /** Root rotations re-sign every leaf at a random point in this window, sparing the servers a herd. */
  rotationJitterMs: () => number;
  log: Logger;
}

/** Consul drops a cached leaf nobody asked for in 3 days; renewing it forever would be waste. */
const IDLE_DROP_MS = 72 * 3600_000;
const RETRY_MS = 30_000;
const MAX_TIMER_MS = 2 ** 31 - 1;

export const leafTopic = (service: string): string => `leaf:${service}`;

interface Entry {
  leaf?: LeafCert;
  signingKeyId?: string;
  pending?: Promise<LeafCert>;
  timer?: NodeJS.Timeout;
  dueAt?: number;
  lastGet: number;
  token: string;
}

/**
 * The agent's leaf certificates, one per service: the key is made here and never leaves the
 * agent; only the CSR goes to the signer. A leaf is renewed at a random point between 60%
 * and 90% of its lifetime (Consul's window) and, after a root rotation, within the jitter
 * window; each renewal wakes the blocking readers of that service's leaf.
 */
export class LeafCache {
  private readonly entries = new Map<string, Entry>();
  private lastIndex = 0;
  private readonly unsubscribe: () => void;

  constructor(private readonly opts: LeafCacheOptions) {
    this.unsubscribe = opts.roots.subscribe(() => this.onRootsChanged());
  }

  /** The current leaf for a service, issuing one first when there is none or it no longer fits the roots. */
  async get(service: string, token = ''): Promise<LeafCert> {
    let entry = this.entries.get(service);
    if (!entry) this.entries.set(service, (entry = { lastGet: Date.now(), token }));
    entry.lastGet = Date.now();
    entry.token = token;
    if (entry.leaf && this.usable(entry)) return entry.leaf;
    return this.issue(service, entry);
  }

  /** The cached leaf without issuing (for blocking reads after `get`). */
  current(service: string): LeafCert | undefined {
    return this.entries.get(service)?.leaf;
  }

  stop(): void {
    this.unsubscribe();
    for (const e of this.entries.values()) if (e.timer) clearTimeout(e.timer);
    this.entries.clear();
  }

  private usable(e: Entry): boolean {
    const roots = this.opts.roots.current();
    return Date.parse(e.leaf!.ValidBefore) > Date.now() && roots !== null && roots.activeSigningKeyId === e.signingKeyId;
  }

  private issue(service: string, entry: Entry): Promise<LeafCert> {
    entry.pending ??= this.sign(service, entry).finally(() => (entry.pending = undefined));
    return entry.pending;
  }

  private async sign(service: string, entry: Entry): Promise<LeafCert> {
    const roots = this.opts.roots.current();
    if (!roots) throw new WeftError('UNAVAILABLE', 'the Connect CA is not initialized yet');
    const key = await generateSigningKey({ type: 'ec', bits: 256 });
    const dns = serviceDnsName(service, roots.trustDomain);
    const csr = await createCsr({ uri: serviceSpiffeUri(roots.trustDomain, this.opts.datacenter, service), dnsNames: dns ? [dns] : [], key });
    const cert = await this.opts.signer.sign(csr, entry.token);
    const index = (this.lastIndex = Math.max(this.opts.baseIndex(), this.lastIndex + 1));
    const leaf: LeafCert = {
      SerialNumber: cert.SerialNumber,
      CertPEM: cert.CertPEM,
      PrivateKeyPEM: key.pem,
      Service: service,
      ServiceURI: cert.ServiceURI ?? '',
      ValidAfter: cert.ValidAfter,
      ValidBefore: cert.ValidBefore,
      Namespace: 'default',
      CreateIndex: index,
      ModifyIndex: index,
    };
    entry.leaf = leaf;
    entry.signingKeyId = cert.SigningKeyID;
    const after = Date.parse(leaf.ValidAfter);
    const life = Date.parse(leaf.ValidBefore) - after;
    this.renewAt(service, entry, after + life * (0.6 + 0.3 * Math.random()), true);
    this.opts.hub.notify([leafTopic(service)]);
    return leaf;
  }

  /** Arms the entry's renewal for `at` (only ever moved earlier unless `replace`). */
  private renewAt(service: string, entry: Entry, at: number, replace = false): void {
    if (!replace && entry.dueAt !== undefined && entry.dueAt <= at) return;
    if (entry.timer) clearTimeout(entry.timer);
    entry.dueAt = at;
    entry.timer = setTimeout(() => this.onTimer(service, entry), Math.min(MAX_TIMER_MS, Math.max(0, at - Date.now())));
    entry.timer.unref();
  }

  private onTimer(service: string, entry: Entry): void {
    entry.timer = undefined;
    if (this.entries.get(service) !== entry) return;
    if (Date.now() < (entry.dueAt ?? 0)) return this.renewAt(service, entry, entry.dueAt!, true);
    if (Date.now() - entry.lastGet > IDLE_DROP_MS) {
      this.entries.delete(service);
      return;
    }
    this.issue(service, entry).catch((err) => {
      this.opts.log.warn({ err, service }, 'renewing a leaf certificate failed; retrying');
      this.renewAt(service, entry, Date.now() + RETRY_MS, true);
    });
  }

  private onRootsChanged(): void {
    const roots = this.opts.roots.current();
    if (!roots) return;
    for (const [service, entry] of this.entries) {
      if (!entry.leaf || entry.signingKeyId === roots.activeSigningKeyId) continue;
      this.renewAt(service, entry, Date.now() + Math.random() * this.opts.rotationJitterMs());
    }
  }
}

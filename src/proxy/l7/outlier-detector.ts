/**
 * Passive health checking (outlier ejection) from service-defaults
 * `UpstreamConfig.PassiveHealthCheck`, with Envoy's consecutive-5xx detector as Consul
 * configures it: MaxFailures consecutive 5xx (connect failures and resets count as 503, as
 * Envoy maps local-origin errors) eject an instance for BaseEjectionTime × the times it was
 * ejected in a row (at most max(300s, BaseEjectionTime)), with probability
 * EnforcingConsecutive5xx %, while no more than MaxEjectionPercent of the pool is ejected; the
 * first ejection is always allowed (Consul's documented "at least one host"). A success resets
 * the count. Every Interval an instance spends back in service takes one step off its
 * ejection multiplier, as Envoy's sweep does.
 *
 * Ejections end lazily and exactly: a host is usable again as soon as `now` reaches its
 * `ejectedUntil` (balancers compare the two), where Envoy waits for its next sweep, up to
 * Interval later. No timer runs.
 */
import type { PassiveHealthCheck } from '../../state/config-entries/entry-types.js';
import type { Host } from './load-balancer.js';

export interface OutlierSettings {
  intervalMs: number;
  consecutive5xx: number;
  /** 0-100: the chance that a detected outlier is actually ejected. */
  enforcingPercent: number;
  /** 0-100: ejections stop while this share of the pool is ejected (the first is always allowed). */
  maxEjectionPercent: number;
  baseEjectionMs: number;
  /** The cap on BaseEjectionTime × times ejected: Envoy's max_ejection_time. */
  maxEjectionMs: number;
}

/** Envoy's outlier_detection defaults, which Consul leaves in force for unset fields. */
export const OUTLIER_DEFAULTS: OutlierSettings = {
  intervalMs: 10_000,
  consecutive5xx: 5,
  enforcingPercent: 100,
  maxEjectionPercent: 10,
  baseEjectionMs: 30_000,
  maxEjectionMs: 300_000,
};

const NS_PER_MS = 1e6;

const clampPercent = (v: number): number => Math.min(100, Math.max(0, Math.floor(v)));

/**
 * The effective settings. As Consul renders them for Envoy: zero (or unset) Interval,
 * MaxFailures and BaseEjectionTime mean the default; EnforcingConsecutive5xx and
 * MaxEjectionPercent are kept when set, zero included (zero turns ejection off).
 */
export function outlierSettings(cfg: PassiveHealthCheck | null): OutlierSettings {
  const d = OUTLIER_DEFAULTS;
  if (!cfg) return { ...d };
  const baseEjectionMs = cfg.BaseEjectionTime ? cfg.BaseEjectionTime / NS_PER_MS : d.baseEjectionMs;
  return {
    intervalMs: cfg.Interval ? cfg.Interval / NS_PER_MS : d.intervalMs,
    consecutive5xx: cfg.MaxFailures ? cfg.MaxFailures : d.consecutive5xx,
    enforcingPercent: cfg.EnforcingConsecutive5xx === undefined ? d.enforcingPercent : clampPercent(cfg.EnforcingConsecutive5xx),
    maxEjectionPercent: cfg.MaxEjectionPercent === undefined ? d.maxEjectionPercent : clampPercent(cfg.MaxEjectionPercent),
    baseEjectionMs,
    maxEjectionMs: Math.max(d.maxEjectionMs, baseEjectionMs),
  };
}

/** A response status that counts against a host: any 5xx, and 0 for a connect failure or reset. */
export const isOutlierFailure = (status: number): boolean => status === 0 || (status >= 500 && status <= 599);

export interface OutlierOptions {
  /** The clock, in ms; Date.now by default. Balancers must be given the same `now`. */
  now?: () => number;
  onEject?: (h: Host) => void;
  /** A uniform draw in [0, 1) for EnforcingConsecutive5xx; Math.random by default. */
  random?: () => number;
}

interface HostRecord {
  failures: number;
  /** Envoy's ejection-time multiplier: ejections in a row, decaying while in service. */
  multiplier: number;
  /** When the last ejection ended; 0 before the first. */
  returnedAt: number;
}

export class OutlierDetector {
  readonly settings: OutlierSettings;
  private readonly records = new WeakMap<Host, HostRecord>();
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly onEject: ((h: Host) => void) | undefined;

  constructor(cfg: PassiveHealthCheck | null, opts: OutlierOptions = {}) {
    this.settings = outlierSettings(cfg);
    this.now = opts.now ?? Date.now;
    this.random = opts.random ?? Math.random;
    this.onEject = opts.onEject;
  }

  /** Feeds one finished request to `h`: its status, 0 for a connect failure or reset. `hosts` is the pool. */
  record(h: Host, status: number, hosts: readonly Host[]): void {
    const failed = isOutlierFailure(status);
    let r = this.records.get(h);
    if (r === undefined) {
      // The common case stays allocation-free: a healthy host with no history needs no record.
      if (!failed && h.ejectedUntil === 0) return;
      r = { failures: 0, multiplier: 0, returnedAt: 0 };
      this.records.set(h, r);
    }
    const now = this.now();
    if (h.ejectedUntil !== 0) {
      if (h.ejectedUntil > now) {
        // Requests that were in flight when it was ejected: only a success counts (it resets).
        if (!failed) r.failures = 0;
        return;
      }
      // Back in service; the counters start afresh so a few errors do not eject it again.
      r.returnedAt = h.ejectedUntil;
      h.ejectedUntil = 0;
      r.failures = 0;
    }
    if (!failed) {
      r.failures = 0;
      return;
    }
    if (++r.failures < this.settings.consecutive5xx) return;
    // Envoy resets the count after every detection, whether or not it ejected the host.
    r.failures = 0;
    this.eject(h, r, hosts, now);
  }

  /** Hosts of `hosts` ejected at `now`. */
  ejectedCount(hosts: readonly Host[], now: number = this.now()): number {
    let n = 0;
    for (const h of hosts) if (h.ejectedUntil > now) n++;
    return n;
  }

  private eject(h: Host, r: HostRecord, hosts: readonly Host[], now: number): void {
    const s = this.settings;
    const ejected = this.ejectedCount(hosts, now);
    // Envoy (through 1.30, and Consul's docs): eject while the ejected share is below the
    // maximum, which always lets the first host go whatever the percentage (unless it is 0).
    if ((ejected * 100) / Math.max(1, hosts.length) >= s.maxEjectionPercent) return;
    if (!(this.random() * 100 < s.enforcingPercent)) return;
    if (r.multiplier > 0 && r.returnedAt > 0) {
      const decay = Math.floor((now - r.returnedAt) / s.intervalMs);
      r.multiplier = Math.max(0, r.multiplier - decay);
    }
    if (r.multiplier * s.baseEjectionMs < s.maxEjectionMs + s.baseEjectionMs) r.multiplier++;
    h.ejectedUntil = now + Math.min(s.baseEjectionMs * r.multiplier, s.maxEjectionMs);
    this.onEject?.(h);
  }
}

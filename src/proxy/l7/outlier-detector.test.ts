import { describe, expect, it } from 'vitest';
import type { PassiveHealthCheck } from '../../state/config-entries/entry-types.js';
import { createBalancer, type Host } from './load-balancer.js';
import { isOutlierFailure, OutlierDetector, OUTLIER_DEFAULTS, outlierSettings } from './outlier-detector.js';

const SECOND_NS = 1e9;

function pool(n: number): Host[] {
  const b = createBalancer(undefined);
  b.update(Array.from({ length: n }, (_, i) => ({ Node: 'n', ServiceID: `web-${i}`, Address: `10.0.0.${i}`, Port: 80, Identity: '', Weight: 1 })));
  return b.hosts as Host[];
}

/** A detector on a clock the test moves by hand. */
function detector(cfg: PassiveHealthCheck | null, random: () => number = () => 0) {
  const clock = { t: 1_000_000 };
  const ejected: Host[] = [];
  const d = new OutlierDetector(cfg, { now: () => clock.t, random, onEject: (h) => ejected.push(h) });
  return { d, clock, ejected };
}

const fail = (d: OutlierDetector, h: Host, hosts: Host[], times: number, status = 503): void => {
  for (let i = 0; i < times; i++) d.record(h, status, hosts);
};

describe('outlierSettings', () => {
  it('uses Envoy defaults when nothing is set', () => {
    expect(outlierSettings(null)).toEqual(OUTLIER_DEFAULTS);
    expect(outlierSettings({})).toEqual(OUTLIER_DEFAULTS);
    expect(OUTLIER_DEFAULTS).toMatchObject({ consecutive5xx: 5, intervalMs: 10_000, baseEjectionMs: 30_000, maxEjectionPercent: 10, enforcingPercent: 100 });
  });

  it('converts nanoseconds and keeps explicit zero percentages', () => {
    const s = outlierSettings({ Interval: 2 * SECOND_NS, BaseEjectionTime: 400 * SECOND_NS, MaxFailures: 3, EnforcingConsecutive5xx: 0, MaxEjectionPercent: 0 });
    expect(s).toEqual({ intervalMs: 2000, consecutive5xx: 3, enforcingPercent: 0, maxEjectionPercent: 0, baseEjectionMs: 400_000, maxEjectionMs: 400_000 });
  });
});

describe('isOutlierFailure', () => {
  it('counts 5xx and connect failures, not 4xx', () => {
    expect([0, 500, 502, 503, 504, 599].every(isOutlierFailure)).toBe(true);
    expect([200, 301, 404, 429, 499].some(isOutlierFailure)).toBe(false);
  });
});

describe('OutlierDetector', () => {
  it('ejects after MaxFailures consecutive failures for BaseEjectionTime', () => {
    const hosts = pool(10);
    const { d, clock, ejected } = detector({ MaxFailures: 3, BaseEjectionTime: 10 * SECOND_NS });
    fail(d, hosts[0], hosts, 2);
    expect(hosts[0].ejectedUntil).toBe(0);
    d.record(hosts[0], 0, hosts); // a connect failure counts like a 503
    expect(hosts[0].ejectedUntil).toBe(clock.t + 10_000);
    expect(ejected).toEqual([hosts[0]]);
  });

  it('resets the count on a success', () => {
    const hosts = pool(10);
    const { d } = detector({ MaxFailures: 3 });
    fail(d, hosts[0], hosts, 2);
    d.record(hosts[0], 200, hosts);
    fail(d, hosts[0], hosts, 2);
    d.record(hosts[0], 404, hosts);
    fail(d, hosts[0], hosts, 2);
    expect(hosts[0].ejectedUntil).toBe(0);
    d.record(hosts[0], 500, hosts);
    expect(hosts[0].ejectedUntil).toBeGreaterThan(0);
  });

  it('ejects after 5 failures by default', () => {
    const hosts = pool(10);
    const { d } = detector(null);
    fail(d, hosts[0], hosts, 4);
    expect(hosts[0].ejectedUntil).toBe(0);
    fail(d, hosts[0], hosts, 1);
    expect(hosts[0].ejectedUntil).toBe(1_000_000 + 30_000);
  });

  it('returns the host to the balancer exactly when its ejection ends', () => {
    const hosts = pool(2);
    const b = createBalancer(undefined);
    b.update(hosts.map((h) => h.endpoint));
    const [a] = b.hosts as Host[];
    const { d, clock } = detector({ MaxFailures: 1, BaseEjectionTime: 5 * SECOND_NS, MaxEjectionPercent: 50 });
    d.record(a, 503, b.hosts);
    for (let i = 0; i < 10; i++) expect(b.pick(undefined, undefined, clock.t + 4999)).not.toBe(a);
    const picked = new Set(Array.from({ length: 4 }, () => b.pick(undefined, undefined, clock.t + 5000)));
    expect(picked.has(a)).toBe(true);
  });

  it('multiplies the ejection time by the ejections in a row, up to max(300s, base)', () => {
    const hosts = pool(1);
    const h = hosts[0];
    const { d, clock } = detector({ MaxFailures: 1, BaseEjectionTime: 100 * SECOND_NS });
    const durations: number[] = [];
    for (let i = 0; i < 5; i++) {
      d.record(h, 503, hosts);
      durations.push(h.ejectedUntil - clock.t);
      clock.t = h.ejectedUntil; // fails again the moment it returns
    }
    expect(durations).toEqual([100_000, 200_000, 300_000, 300_000, 300_000]);
  });

  it('lowers the multiplier by one for every Interval spent back in service', () => {
    const hosts = pool(1);
    const h = hosts[0];
    const { d, clock } = detector({ MaxFailures: 1, BaseEjectionTime: 10 * SECOND_NS, Interval: 1 * SECOND_NS });
    for (let i = 0; i < 3; i++) {
      d.record(h, 503, hosts);
      clock.t = h.ejectedUntil;
    }
    // Ejected 10s, 20s, 30s; healthy for 2 intervals: the next ejection is 30 - 2×10 + 10 = 20s.
    d.record(h, 200, hosts);
    clock.t += 2000;
    d.record(h, 503, hosts);
    expect(h.ejectedUntil - clock.t).toBe(20_000);
    // After a long healthy spell it is back to the base time.
    clock.t = h.ejectedUntil;
    d.record(h, 200, hosts);
    clock.t += 60_000;
    d.record(h, 503, hosts);
    expect(h.ejectedUntil - clock.t).toBe(10_000);
  });

  it('ignores failures of requests that finish while the host is ejected', () => {
    const hosts = pool(1);
    const { d, clock, ejected } = detector({ MaxFailures: 2, BaseEjectionTime: 10 * SECOND_NS });
    fail(d, hosts[0], hosts, 2);
    const until = hosts[0].ejectedUntil;
    fail(d, hosts[0], hosts, 10);
    expect(hosts[0].ejectedUntil).toBe(until);
    expect(ejected).toHaveLength(1);
    // Back in service with a fresh count: one failure is not enough.
    clock.t = until;
    d.record(hosts[0], 503, hosts);
    expect(hosts[0].ejectedUntil).toBe(0);
  });

  it('always allows the first ejection, then keeps within MaxEjectionPercent', () => {
    const hosts = pool(4);
    const { d } = detector({ MaxFailures: 1 }); // 10% by default
    for (const h of hosts) d.record(h, 503, hosts);
    expect(hosts.filter((h) => h.ejectedUntil > 0)).toHaveLength(1);
  });

  it('ejects up to MaxEjectionPercent of the pool', () => {
    const hosts = pool(10);
    const { d, clock } = detector({ MaxFailures: 1, MaxEjectionPercent: 30 });
    for (const h of hosts) d.record(h, 503, hosts);
    expect(d.ejectedCount(hosts)).toBe(3);
    // Room again once one returns.
    clock.t = Math.min(...hosts.filter((h) => h.ejectedUntil > 0).map((h) => h.ejectedUntil));
    d.record(hosts[9], 503, hosts);
    expect(hosts[9].ejectedUntil).toBeGreaterThan(clock.t);
  });

  it('ejects nothing with MaxEjectionPercent 0', () => {
    const hosts = pool(3);
    const { d } = detector({ MaxFailures: 1, MaxEjectionPercent: 0 });
    for (const h of hosts) d.record(h, 503, hosts);
    expect(d.ejectedCount(hosts)).toBe(0);
  });

  it('enforces a detection with probability EnforcingConsecutive5xx', () => {
    let draws = 0;
    const random = () => ((draws++ * 0.37) % 1) as number;
    const hosts = pool(100);
    const { d } = detector({ MaxFailures: 1, EnforcingConsecutive5xx: 25, MaxEjectionPercent: 100 }, random);
    for (const h of hosts) d.record(h, 503, hosts);
    expect(d.ejectedCount(hosts)).toBeGreaterThanOrEqual(20);
    expect(d.ejectedCount(hosts)).toBeLessThanOrEqual(30);
  });

  it('never ejects with EnforcingConsecutive5xx 0, and resets the count anyway', () => {
    const hosts = pool(2);
    const { d } = detector({ MaxFailures: 2, EnforcingConsecutive5xx: 0 }, () => 0);
    fail(d, hosts[0], hosts, 20);
    expect(hosts[0].ejectedUntil).toBe(0);
  });

  it('takes up a host that was ejected before the detector was replaced', () => {
    const hosts = pool(2);
    hosts[0].ejectedUntil = 1_000_000 - 1;
    const { d } = detector({ MaxFailures: 2 });
    d.record(hosts[0], 503, hosts);
    expect(hosts[0].ejectedUntil).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import type { UpstreamEndpoint } from '../../proxycfg/wire.js';
import type { LoadBalancer } from '../../state/config-entries/entry-types.js';
import { isWeftError } from '../../lib/errors.js';
import { xxh32 } from './endpoint-hash.js';
import { createBalancer, hostKey, type Balancer, type Host } from './load-balancer.js';

/** mulberry32: a small seeded generator so every run draws the same numbers. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ep = (i: number, weight = 1): UpstreamEndpoint => ({
  Node: `node-${i}`,
  ServiceID: `web-${i}`,
  Address: `10.0.0.${i}`,
  Port: 8080,
  Identity: 'spiffe://t.consul/ns/default/dc/dc1/svc/web',
  Weight: weight,
});

const endpoints = (n: number, weight = (_i: number) => 1): UpstreamEndpoint[] => Array.from({ length: n }, (_, i) => ep(i + 1, weight(i)));

function balancer(policy: string, eps: UpstreamEndpoint[], seed = 1, lb: LoadBalancer = {}): Balancer {
  const b = createBalancer({ ...lb, Policy: policy }, { random: seeded(seed) });
  b.update(eps);
  return b;
}

/** How many of `n` picks each host got, in host order. */
function tally(b: Balancer, n: number, hash: (i: number) => number | undefined = () => undefined): number[] {
  const counts = new Map<Host, number>();
  for (let i = 0; i < n; i++) {
    const h = b.pick(hash(i))!;
    counts.set(h, (counts.get(h) ?? 0) + 1);
  }
  return b.hosts.map((h) => counts.get(h) ?? 0);
}

const NOW = 1_000_000;
const POLICIES = ['', 'round_robin', 'random', 'least_request', 'ring_hash', 'maglev'];

// The contract every policy keeps.
describe.each(POLICIES)('policy %j', (policy) => {
  it('picks nothing from an empty pool', () => {
    expect(balancer(policy, []).pick(123)).toBeUndefined();
  });

  it('spreads picks over all hosts', () => {
    const counts = tally(balancer(policy, endpoints(4)), 8000, (i) => xxh32(`user-${i}`));
    for (const c of counts) expect(c).toBeGreaterThan(1400);
  });

  it('follows the weights', () => {
    const b = balancer(policy, endpoints(3, (i) => [1, 2, 5][i]));
    const counts = tally(b, 16000, (i) => xxh32(`user-${i}`));
    if (policy === 'least_request') return; // without load every draw ties; see its own test
    expect(counts[0] / 16000).toBeCloseTo(1 / 8, 1);
    expect(counts[1] / 16000).toBeCloseTo(2 / 8, 1);
    expect(counts[2] / 16000).toBeCloseTo(5 / 8, 1);
  });

  it('never picks an excluded host, and nothing when all are excluded', () => {
    const b = balancer(policy, endpoints(3));
    const exclude = new Set([b.hosts[0], b.hosts[2]]);
    for (let i = 0; i < 200; i++) expect(b.pick(xxh32(`k${i}`), exclude)).toBe(b.hosts[1]);
    expect(b.pick(1, new Set(b.hosts))).toBeUndefined();
  });

  it('skips ejected hosts until their ejection ends', () => {
    const b = balancer(policy, endpoints(3));
    (b.hosts[0] as Host).ejectedUntil = NOW + 5000;
    (b.hosts[1] as Host).ejectedUntil = NOW + 5000;
    for (let i = 0; i < 200; i++) expect(b.pick(xxh32(`k${i}`), undefined, NOW)).toBe(b.hosts[2]);
    const later = new Set<Host>();
    for (let i = 0; i < 200; i++) later.add(b.pick(xxh32(`k${i}`), undefined, NOW + 5000)!);
    expect(later.size).toBe(3);
  });

  it('falls back to ejected hosts when every host is ejected', () => {
    const b = balancer(policy, endpoints(3));
    for (const h of b.hosts) (h as Host).ejectedUntil = NOW + 5000;
    expect(b.pick(7, undefined, NOW)).toBeDefined();
    // ...but still honours the exclusions of a retry.
    const exclude = new Set([b.hosts[0], b.hosts[1]]);
    expect(b.pick(7, exclude, NOW)).toBe(b.hosts[2]);
  });

  it('uses Date.now() when no time is given', () => {
    const b = balancer(policy, endpoints(2));
    (b.hosts[0] as Host).ejectedUntil = Date.now() + 60_000;
    for (let i = 0; i < 50; i++) expect(b.pick(xxh32(`k${i}`))).toBe(b.hosts[1]);
  });

  it('keeps Host objects and their state across updates', () => {
    const b = balancer(policy, endpoints(3));
    const [first, second] = b.hosts as Host[];
    first.active = 4;
    second.ejectedUntil = NOW + 1;
    b.update([ep(2), ep(1, 3), ep(9)]);
    expect(b.hosts.map((h) => h.key)).toEqual([hostKey(ep(2)), hostKey(ep(1)), hostKey(ep(9))]);
    expect(b.hosts[1]).toBe(first);
    expect(first.active).toBe(4);
    expect(first.endpoint.Weight).toBe(3);
    expect(b.hosts[0]).toBe(second);
    expect(second.ejectedUntil).toBe(NOW + 1);
    expect(b.hosts[2].active).toBe(0);
    expect(b.hosts[2].ejectedUntil).toBe(0);
  });

  it('drops duplicate endpoints', () => {
    const b = balancer(policy, [ep(1), ep(1), ep(2)]);
    expect(b.hosts).toHaveLength(2);
  });
});

describe('round_robin', () => {
  it('visits hosts in order from its random start', () => {
    const b = balancer('round_robin', endpoints(3), 1);
    const start = b.hosts.indexOf(b.pick(undefined)!);
    const seq = Array.from({ length: 6 }, () => b.hosts.indexOf(b.pick(undefined)!));
    expect(seq).toEqual([1, 2, 3, 4, 5, 6].map((k) => (start + k) % 3));
  });

  it('interleaves weighted hosts smoothly (NGINX order)', () => {
    const b = createBalancer({ Policy: 'round_robin' }, { random: () => 0 });
    b.update([ep(1, 5), ep(2, 1), ep(3, 1)]);
    const seq = Array.from({ length: 14 }, () => b.pick(undefined)!.endpoint.ServiceID);
    const cycle = ['web-1', 'web-1', 'web-2', 'web-1', 'web-3', 'web-1', 'web-1'];
    expect(seq).toEqual([...cycle, ...cycle]);
  });

  it('clamps weights to [1, 128] as Consul does for Envoy', () => {
    const b = balancer('round_robin', [ep(1, 0), ep(2, 1000)]);
    const counts = tally(b, 129 * 20);
    expect(counts).toEqual([20, 128 * 20]);
  });

  it('keeps the proportions of the remaining hosts while one is excluded', () => {
    const b = balancer('round_robin', [ep(1, 3), ep(2, 1), ep(3, 5)]);
    const exclude = new Set([b.hosts[2]]);
    const counts = [0, 0, 0];
    for (let i = 0; i < 400; i++) counts[b.hosts.indexOf(b.pick(undefined, exclude)!)]++;
    expect(counts).toEqual([300, 100, 0]);
  });
});

describe('random', () => {
  it('draws each host in proportion to its weight', () => {
    const weights = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 128];
    const total = weights.reduce((a, b) => a + b, 0);
    const b = balancer('random', endpoints(weights.length, (i) => weights[i]), 11);
    const counts = tally(b, 400_000);
    counts.forEach((c, i) => expect(Math.abs(c / 400_000 - weights[i] / total)).toBeLessThan(0.004));
  });
});

describe('least_request', () => {
  it('sends to the idle host when its choices cover the pool', () => {
    const b = balancer('least_request', endpoints(3), 3, { LeastRequestConfig: { ChoiceCount: 3 } });
    const hosts = b.hosts as Host[];
    hosts[0].active = 5;
    hosts[2].active = 2;
    for (let i = 0; i < 100; i++) expect(b.pick(undefined)).toBe(hosts[1]);
  });

  it('prefers idle hosts with two random choices', () => {
    const b = balancer('least_request', endpoints(10), 4);
    const hosts = b.hosts as Host[];
    for (const h of hosts) h.active = 10;
    hosts[3].active = 0;
    const counts = tally(b, 20000);
    // Drawn at least once in two draws: 1 - 0.9^2 = 19%, against 10% for a random pick.
    expect(counts[3] / 20000).toBeCloseTo(0.19, 1);
    expect(counts[3] / 20000).toBeGreaterThan(0.17);
  });

  it('balances load in proportion to weights', () => {
    const b = balancer('least_request', endpoints(3, (i) => [1, 2, 5][i]), 5);
    // Every request lasts 40 picks: in-flight counts follow where traffic went.
    const inflight: Host[] = [];
    const counts = new Map<Host, number>();
    for (let i = 0; i < 40000; i++) {
      const h = b.pick(undefined) as Host;
      h.active++;
      counts.set(h, (counts.get(h) ?? 0) + 1);
      inflight.push(h);
      if (inflight.length > 40) inflight.shift()!.active--;
    }
    const share = b.hosts.map((h) => (counts.get(h) ?? 0) / 40000);
    expect(share[0]).toBeCloseTo(1 / 8, 1);
    expect(share[1]).toBeCloseTo(2 / 8, 1);
    expect(share[2]).toBeCloseTo(5 / 8, 1);
  });

  it('treats a ChoiceCount below 2 as 2', () => {
    const b = balancer('least_request', endpoints(2), 6, { LeastRequestConfig: { ChoiceCount: 1 } });
    (b.hosts[0] as Host).active = 3;
    // With 2 choices over 2 hosts every host is compared: the idle one always wins.
    for (let i = 0; i < 50; i++) expect(b.pick(undefined)).toBe(b.hosts[1]);
  });
});

describe.each(['ring_hash', 'maglev'])('%s consistency', (policy) => {
  const keys = Array.from({ length: 5000 }, (_, i) => xxh32(`session-${i}`));

  it('sends the same hash to the same host', () => {
    const a = balancer(policy, endpoints(5), 1);
    const b = balancer(policy, endpoints(5), 99); // another proxy, another random seed
    for (const k of keys) expect(b.pick(k)!.key).toBe(a.pick(k)!.key);
  });

  it('moves only about 1/n of the keys when a host leaves', () => {
    const b = balancer(policy, endpoints(10));
    const before = keys.map((k) => b.pick(k)!.key);
    b.update(endpoints(10).filter((_, i) => i !== 4));
    const gone = hostKey(ep(5));
    let moved = 0;
    keys.forEach((k, i) => {
      const now = b.pick(k)!.key;
      expect(now).not.toBe(gone);
      if (now !== before[i]) moved++;
    });
    expect(moved / keys.length).toBeGreaterThan(0.06);
    expect(moved / keys.length).toBeLessThan(0.13);
  });

  it('moves only the keys of an excluded or ejected host', () => {
    const b = balancer(policy, endpoints(6));
    const before = keys.map((k) => b.pick(k)!);
    const out = b.hosts[2];
    (out as Host).ejectedUntil = NOW + 1000;
    keys.forEach((k, i) => {
      const now = b.pick(k, undefined, NOW)!;
      if (before[i] === out) expect(now).not.toBe(out);
      else expect(now).toBe(before[i]);
    });
  });

  it('rebuilds nothing on an update that changes nothing', () => {
    const b = balancer(policy, endpoints(4));
    const before = keys.map((k) => b.pick(k)!);
    b.update(endpoints(4));
    keys.forEach((k, i) => expect(b.pick(k)).toBe(before[i]));
  });
});

describe('ring_hash', () => {
  it('moves no other host\'s keys when one leaves within a power-of-two band', () => {
    const keys = Array.from({ length: 5000 }, (_, i) => xxh32(`session-${i}`));
    const b = balancer('ring_hash', endpoints(10));
    const before = keys.map((k) => b.pick(k)!.key);
    b.update(endpoints(10).filter((_, i) => i !== 4));
    const gone = hostKey(ep(5));
    keys.forEach((k, i) => {
      if (before[i] !== gone) expect(b.pick(k)!.key).toBe(before[i]);
    });
  });
});

describe('ring_hash lookup', () => {
  it('goes to the owner of the first point at or after the hash, wrapping around', () => {
    const b = balancer('ring_hash', endpoints(7, (i) => i + 1));
    const { points, owners } = b as unknown as { points: Uint32Array; owners: Uint32Array };
    const expected = (h: number): Host => {
      const k = points.findIndex((p) => p >= h);
      return b.hosts[owners[k < 0 ? 0 : k]];
    };
    const probes = [0, 1, 2 ** 32 - 1, points[0], points[0] + 1, points[points.length - 1], points[points.length - 1] + 1];
    for (let i = 0; i < 3000; i++) probes.push(xxh32(`probe-${i}`));
    for (const h of probes) expect(b.pick(h >>> 0)).toBe(expected(h >>> 0));
  });
});

describe('ring_hash sizes', () => {
  const size = (b: Balancer): number => (b as unknown as { ringSize: number }).ringSize;

  it('has at least MinimumRingSize points (1024 by default)', () => {
    expect(size(balancer('ring_hash', endpoints(3)))).toBeGreaterThanOrEqual(1024);
    expect(size(balancer('ring_hash', endpoints(3), 1, { RingHashConfig: { MinimumRingSize: 4096 } }))).toBeGreaterThanOrEqual(4096);
  });

  it('caps the ring at MaximumRingSize', () => {
    const b = balancer('ring_hash', [ep(1, 1), ep(2, 128)], 1, { RingHashConfig: { MinimumRingSize: 1024, MaximumRingSize: 2000 } });
    expect(size(b)).toBeLessThanOrEqual(2000);
  });

  it('grows past the default maximum when only a larger minimum is set', () => {
    expect(size(balancer('ring_hash', endpoints(2), 1, { RingHashConfig: { MinimumRingSize: 20000 } }))).toBeGreaterThanOrEqual(20000);
  });
});

describe('createBalancer', () => {
  it('refuses a policy it does not know', () => {
    let err: unknown;
    try {
      createBalancer({ Policy: 'weighted_coin' });
    } catch (e) {
      err = e;
    }
    expect(isWeftError(err, 'CONFIG_INVALID')).toBe(true);
  });

  it('balances round robin without a LoadBalancer', () => {
    const b = createBalancer(undefined);
    b.update(endpoints(2));
    const first = b.pick(undefined);
    expect(b.pick(undefined)).not.toBe(first);
  });
});

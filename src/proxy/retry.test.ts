import { describe, expect, it } from 'vitest';
import type { TLSSocket } from 'node:tls';
import { EndpointTable } from './balancer.js';
import { withRetry } from './retry.js';
import { endpoint } from './test-kit.js';

describe('balance and retry', () => {
  it('spreads picks round-robin over the endpoints and follows table updates', () => {
    const t = new EndpointTable();
    t.update([endpoint(1, 'db', 'a'), endpoint(2, 'db', 'b'), endpoint(3, 'db', 'c')]);
    const seen = Array.from({ length: 6 }, () => t.pick()!.ServiceID);
    expect(new Set(seen.slice(0, 3))).toEqual(new Set(['a', 'b', 'c']));
    expect(seen.slice(3)).toEqual(seen.slice(0, 3));
    t.update([endpoint(4, 'db', 'd')]);
    expect(t.pick()!.ServiceID).toBe('d');
    t.update([]);
    expect(t.pick()).toBeUndefined();
  });

  it('tries up to three distinct instances, then gives up with the last error', async () => {
    const t = new EndpointTable();
    t.update(['a', 'b', 'c', 'd'].map((id, i) => endpoint(i + 1, 'db', id)));
    const tried: string[] = [];
    const failures: string[] = [];
    const dial = withRetry(t, async (e) => {
      tried.push(e.ServiceID);
      throw new Error(`refused by ${e.ServiceID}`);
    }, { onFailure: (_err, e) => failures.push(e.ServiceID) });
    await expect(dial()).rejects.toThrow(/refused by/);
    expect(new Set(tried).size).toBe(3);
    expect(failures).toEqual(tried);

    const ok = withRetry(t, async (e) => {
      if (e.ServiceID !== 'c') throw new Error('no');
      return { id: 'c' } as unknown as TLSSocket;
    }, { attempts: 4 });
    expect(await ok()).toEqual({ id: 'c' });
  });

  it('fails at once when there is no healthy instance', async () => {
    await expect(withRetry(new EndpointTable(), async () => ({}) as TLSSocket)()).rejects.toThrow('no healthy instances found');
  });
});

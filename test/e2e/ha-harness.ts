import { ApiClient } from '../../src/api/index.js';
import type { EtcdCluster } from '../../src/state/backend/test-etcd.js';
import type { ClusterAgent } from './cluster-harness.js';

export function etcdArgs(etcd: EtcdCluster, extra: string[] = []): string[] {
  return ['-store=etcd', `-etcd-endpoints=${etcd.endpoints.join(',')}`, ...extra];
}

/** The server whose address `/v1/status/leader` reports, as `agent` sees it. */
export async function leaderOf(agent: ClusterAgent, servers: ClusterAgent[]): Promise<ClusterAgent | undefined> {
  const addr = (await agent.client.get<string>('/v1/status/leader')).body;
  return servers.find((s) => addr === `127.0.0.1:${s.ports.server}`);
}

export interface WriterStats {
  name: string;
  /** Sequence numbers whose write was acknowledged (200). */
  acked: number[];
  failures: number;
  /** Longest time between two acknowledged writes, and when it ended (epoch ms). */
  longestGapMs: number;
  longestGapEnd: number;
}

/**
 * One writer: sequential writes through one agent until stopped; each acknowledged write
 * is recorded. A failed write is retried with the next number (it may or may not have
 * been applied; only acknowledged ones must survive).
 */
export class Writer {
  readonly stats: WriterStats;
  private stopped = false;
  private readonly done: Promise<void>;
  private readonly client: ApiClient;

  constructor(
    name: string,
    agent: ClusterAgent,
    write: (client: ApiClient, seq: number, signal: AbortSignal) => Promise<void>,
  ) {
    this.stats = { name, acked: [], failures: 0, longestGapMs: 0, longestGapEnd: 0 };
    this.client = new ApiClient({ address: `http://127.0.0.1:${agent.ports.http}` });
    this.done = this.run(write);
  }

  private async run(write: (client: ApiClient, seq: number, signal: AbortSignal) => Promise<void>): Promise<void> {
    let lastOk = Date.now();
    for (let seq = 0; !this.stopped; seq++) {
      try {
        await write(this.client, seq, AbortSignal.timeout(10_000));
        const now = Date.now();
        if (now - lastOk > this.stats.longestGapMs) {
          this.stats.longestGapMs = now - lastOk;
          this.stats.longestGapEnd = now;
        }
        lastOk = now;
        this.stats.acked.push(seq);
      } catch {
        this.stats.failures++;
        // Pace retries against a refused connection instead of spinning.
        await new Promise((r) => setTimeout(r, 25));
      }
    }
  }

  async stop(): Promise<WriterStats> {
    this.stopped = true;
    await this.done;
    this.client.close();
    return this.stats;
  }
}

import { randomUUID } from 'node:crypto';
import type { Etcd3 } from 'etcd3';
import { WeftError } from '../../lib/errors.js';
import type { LogEntry, Op } from '../op.js';
import { encodeJson, encodeSnapshotArchive, type SnapshotData } from '../../snapshot/index.js';
import type { Change } from '../txn.js';
import { etcdUnavailable, withAttempts } from './etcd-client.js';
import { EtcdKeys } from './etcd-keys.js';
import { compactEtcdLog, type CompactResult } from './etcd-compact.js';
import { RESTORE_OP, decodeOp, readLog, readPointer, readSnapshot, writeChunks, type RawEntry, type SnapshotRef } from './etcd-store-io.js';
import { LogWatch } from './etcd-watch.js';
import { AppliedWaiters } from './etcd-applied.js';
import { restoredState, type Backend, type BackendState, type ResetReason } from './types.js';

export interface EtcdBackendOptions {
  client: Etcd3;
  prefix?: string;
  /** How long a write may wait for etcd to commit it before failing with "No cluster leader". */
  writeTimeoutMs?: number;
  /** Things the agent may want to log (the state layer itself never logs). */
  onNotice?: (notice: EtcdNotice) => void;
}

export type EtcdNotice =
  | { kind: 'watch-lost'; reason: string }
  | { kind: 'watch-restored' }
  | { kind: 'resync'; fromRevision: number; toRevision: number; snapshotLoaded: boolean }
  | { kind: 'resync-failed'; reason: string }
  | { kind: 'restored'; revision: number; index: number };

const STALL_MS = 1500;
const RETRY_MS = 500;
/** One attempt at a write; a longer wait means the member lost its leader, and another attempt finds the new one. */
const ATTEMPT_MS = 1500;

/**
 * Weft's state in etcd: etcd is the replicated log, so consensus is etcd's. Each op is
 * one etcd transaction (a `log/<nonce>` key, written once, plus `head`), and its etcd
 * revision — plus an offset that moves only when a snapshot with higher indexes is restored
 * — is its index, so X-Consul-Index is the same on every server and never goes back.
 * Every server, the writer included, applies entries from etcd's watch stream in revision
 * order; the writer's caller hears its result by the entry's nonce. A server whose watch
 * breaks resumes from the last revision it applied, and one that fell behind a compacted
 * log reloads the latest snapshot (see etcd-compact.ts) and reads the log after it.
 */
export class EtcdBackend implements Backend {
  readonly name = 'etcd';
  readonly keys: EtcdKeys;
  private readonly client: Etcd3;
  private readonly writeTimeoutMs: number;
  private onCommit: (entries: LogEntry[]) => void = () => {};
  private onReset: (state: BackendState, reason: ResetReason) => void = () => {};
  /** Every log entry with a revision up to here has been handed to the store. */
  private seen = 0;
  private offset = 0;
  /** A write whose entry the watch has not delivered in time makes the backend read the log directly. */
  private readonly waiters = new AppliedWaiters(STALL_MS, () => void this.resync('the watch did not deliver a committed write'));
  /** Delivery is serialised: watch batches, restores and resyncs run one after another. */
  private chain: Promise<void> = Promise.resolve();
  private readonly watch: LogWatch;
  private connected = false;
  private lostAt = Date.now();
  private headKnown = 0;
  private behindSince = 0;
  private resyncing: Promise<void> | null = null;
  private closed = false;
  /** Snapshots this server restored, so applying its own restore entry needs no download. */
  private readonly localSnapshots = new Map<string, SnapshotData>();
  /** Restore entries seen: snapshot id → revision (their chunks stay until a later snapshot). */
  readonly restoreRefs = new Map<string, number>();
  /** Entries applied since the last snapshot this server knows of (the leader snapshots past a threshold). */
  entriesSinceSnapshot = 0;

  constructor(private readonly opts: EtcdBackendOptions) {
    this.client = opts.client;
    this.keys = new EtcdKeys(opts.prefix);
    this.writeTimeoutMs = opts.writeTimeoutMs ?? 5000;
    this.watch = new LogWatch(this.client, this.keys.logPrefix, {
      from: () => this.seen + 1,
      onEntries: (entries) => void this.serial(() => this.deliver(entries)),
      onConnected: () => {
        this.connected = true;
        opts.onNotice?.({ kind: 'watch-restored' });
      },
      onLost: (reason, canceled) => {
        if (this.closed) return;
        if (this.connected) this.lostAt = Date.now();
        this.connected = false;
        opts.onNotice?.({ kind: 'watch-lost', reason });
        // A canceled watch (its start revision compacted away, for one) needs the log read directly.
        if (canceled) void this.resync(reason);
      },
    });
  }

  async open(onCommit: (entries: LogEntry[]) => void, onReset: (state: BackendState, reason: ResetReason) => void): Promise<BackendState> {
    this.onCommit = onCommit;
    this.onReset = onReset;
    let state: BackendState;
    try {
      state = await this.load();
    } catch (err) {
      throw etcdUnavailable(err, 'answer while the store opened');
    }
    this.watch.start();
    return state;
  }

  append(ops: { op: Op; nonce: string }[]): Promise<void> {
    if (this.closed) return Promise.reject(new WeftError('UNAVAILABLE', 'store is closed'));
    return Promise.all(ops.map((o) => this.appendOne(o.op, o.nonce))).then(() => undefined);
  }

  persist(_changes: Change[], _appliedIndex: number, _tableIndexes: Record<string, number>): void {
    // etcd holds the log and the snapshots; a restart reloads from there.
  }

  async restore(snapshot: SnapshotData): Promise<void> {
    const id = randomUUID();
    let ref: SnapshotRef;
    try {
      ref = await writeChunks(this.client, this.keys, id, await encodeSnapshotArchive(snapshot));
    } catch (err) {
      throw etcdUnavailable(err, 'store the snapshot');
    }
    this.localSnapshots.set(id, snapshot);
    try {
      await this.appendOne({ type: RESTORE_OP, Snapshot: ref }, randomUUID());
    } finally {
      this.localSnapshots.delete(id);
    }
  }

  /** A linearizable read of the newest log revision, then wait until it is applied here. */
  async barrier(): Promise<void> {
    let head: number;
    try {
      const r = await withAttempts(this.writeTimeoutMs, ATTEMPT_MS, (o) => this.client.kv.range({ key: Buffer.from(this.keys.head) }, o));
      head = r.kvs[0] ? Number(r.kvs[0].mod_revision) : 0;
    } catch (err) {
      throw etcdUnavailable(err, 'confirm the newest revision');
    }
    this.noteHead(head);
    await this.waitApplied(head);
  }

  lagMs(): number {
    if (!this.connected) return Date.now() - this.lostAt;
    return this.seen < this.headKnown && this.behindSince ? Date.now() - this.behindSince : 0;
  }

  /**
   * Log compaction (the leader's job): snapshot the tables as of the last applied
   * revision into etcd, point `snapshot` at it, and delete the log entries it holds.
   */
  async compact(capture: () => SnapshotData): Promise<CompactResult | null> {
    let taken: { data: SnapshotData; revision: number; offset: number } | undefined;
    // Inside the delivery chain, so no entry lands between the capture and its revision.
    await this.serial(() => {
      taken = { data: capture(), revision: this.seen, offset: this.offset };
    });
    if (!taken || taken.revision === 0) return null;
    const counted = this.entriesSinceSnapshot;
    const result = await compactEtcdLog(this.client, this.keys, taken, this.restoreRefs);
    if (result) this.entriesSinceSnapshot = Math.max(0, this.entriesSinceSnapshot - counted);
    return result;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.watch.stop();
    this.waiters.fail(new WeftError('UNAVAILABLE', 'store is closed'));
    // A delivery in progress finishes on its own; a read stuck on an unreachable etcd is not waited for.
    await Promise.race([this.chain.catch(() => undefined), new Promise((r) => setTimeout(r, 1000).unref())]);
  }

  private async appendOne(op: Op, nonce: string): Promise<void> {
    const key = Buffer.from(this.keys.log(nonce));
    let rev: number;
    try {
      // Written only if absent: a retried call can never put the same entry in the log twice.
      const value = Buffer.from(encodeJson(op));
      const r = await withAttempts(this.writeTimeoutMs, ATTEMPT_MS, (o) =>
        this.client.kv.txn(
          {
            compare: [{ key, target: 'Create', result: 'Equal', create_revision: 0 }],
            success: [{ request_put: { key, value } }, { request_put: { key: Buffer.from(this.keys.head), value: Buffer.alloc(0) } }],
            failure: [{ request_range: { key } }],
          },
          o,
        ),
      );
      rev = r.succeeded ? Number(r.header.revision) : Number(r.responses[0]?.response_range?.kvs[0]?.mod_revision ?? r.header.revision);
    } catch (err) {
      throw etcdUnavailable(err, 'commit the write');
    }
    this.noteHead(rev);
    await this.waitApplied(rev);
  }

  private noteHead(rev: number): void {
    if (rev <= this.headKnown) return;
    this.headKnown = rev;
    if (this.seen < rev && !this.behindSince) this.behindSince = Date.now();
  }

  /** Resolves once the entry at `rev` is applied here. */
  private waitApplied(rev: number): Promise<void> {
    return rev <= this.seen ? Promise.resolve() : this.waiters.wait(rev);
  }

  private settleWaiters(): void {
    if (this.seen >= this.headKnown) this.behindSince = 0;
    this.waiters.settle(this.seen);
  }

  private serial(task: () => Promise<void> | void): Promise<void> {
    const run = this.chain.then(task);
    this.chain = run.catch(() => undefined);
    return run;
  }

  // ---- loading ----------------------------------------------------------------------

  /** Start-up: the latest snapshot, then the log after it (restores in it included). */
  private async load(): Promise<BackendState> {
    for (let attempt = 0; ; attempt++) {
      try {
        const { pointer, revision } = await readPointer(this.client, this.keys);
        let state: BackendState = { rows: [], appliedIndex: 0, tableIndexes: {}, pending: [] };
        let from = 0;
        this.offset = 0;
        if (pointer) {
          const snap = await readSnapshot(this.client, this.keys, pointer, revision);
          if (!snap) throw new Error(`snapshot ${pointer.ID} is missing its chunks`);
          state = { rows: snap.rows, appliedIndex: snap.meta.Index, tableIndexes: snap.meta.TableIndexes, pending: [] };
          from = pointer.Rev;
          this.offset = pointer.Offset;
        }
        for (const e of await readLog(this.client, this.keys, from, revision)) {
          const op = decodeOp(e.value);
          if (op.type !== RESTORE_OP) {
            state.pending.push({ index: e.rev + this.offset, op });
            continue;
          }
          const restored = await this.fetchRestore(op, e.rev, revision);
          state = { ...restored, pending: [] };
        }
        this.entriesSinceSnapshot = state.pending.length;
        this.seen = revision;
        this.headKnown = Math.max(this.headKnown, revision);
        return state;
      } catch (err) {
        // A compaction between the reads invalidates them; read again from the newest pointer.
        if (attempt >= 3 || !/compacted/.test(String((err as Error)?.message))) throw err;
      }
    }
  }

  /** The state a restore entry at `rev` leaves; moves the index offset when the snapshot's indexes are ahead. */
  private async fetchRestore(op: Op, rev: number, atRevision?: number): Promise<BackendState> {
    const ref = op.Snapshot as SnapshotRef;
    const snap = this.localSnapshots.get(ref.ID) ?? (await readSnapshot(this.client, this.keys, ref, atRevision));
    if (!snap) throw new Error(`snapshot ${ref.ID} of the restore at revision ${rev} is gone`);
    const index = Math.max(rev + this.offset, snap.meta.Index + 1);
    this.offset = index - rev;
    this.restoreRefs.set(ref.ID, rev);
    return restoredState(snap, index);
  }

  // ---- delivering ---------------------------------------------------------------------

  /** Hands entries past `seen` to the store in order; a restore entry replaces the state in between. */
  private async deliver(entries: RawEntry[]): Promise<void> {
    let batch: LogEntry[] = [];
    const flush = () => {
      if (!batch.length) return;
      this.entriesSinceSnapshot += batch.length;
      const b = batch;
      batch = [];
      this.onCommit(b);
    };
    for (const e of entries) {
      if (e.rev <= this.seen || this.closed) continue;
      const op = decodeOp(e.value);
      if (op.type === RESTORE_OP) {
        flush();
        this.settleWaiters();
        const state = await this.fetchRestore(op, e.rev);
        this.seen = e.rev;
        this.onReset(state, 'restore');
        this.opts.onNotice?.({ kind: 'restored', revision: e.rev, index: state.appliedIndex });
        this.settleWaiters();
        continue;
      }
      batch.push({ index: e.rev + this.offset, op, nonce: e.nonce });
      this.seen = e.rev;
    }
    flush();
    this.settleWaiters();
  }

  // ---- catching up without the watch -------------------------------------------------

  /**
   * Reads what the watch did not deliver: the newest snapshot if this server fell behind it
   * (the log before it may be deleted), then the log after what was applied. Then watches
   * again from there. One at a time; retried until it succeeds or the store closes.
   */
  private resync(reason: string): Promise<void> {
    this.resyncing ??= this.serial(async () => {
      this.watch.stop();
      for (;;) {
        if (this.closed) return;
        try {
          await this.catchUp();
          break;
        } catch (err) {
          this.opts.onNotice?.({ kind: 'resync-failed', reason: `${reason}: ${(err as Error)?.message ?? err}` });
          await new Promise((r) => setTimeout(r, RETRY_MS));
        }
      }
    }).finally(() => {
      this.resyncing = null;
      if (!this.closed) this.watch.start();
    });
    return this.resyncing;
  }

  private async catchUp(): Promise<void> {
    const from = this.seen;
    const { pointer, revision } = await readPointer(this.client, this.keys);
    let snapshotLoaded = false;
    if (pointer && pointer.Rev > this.seen) {
      const snap = await readSnapshot(this.client, this.keys, pointer, revision);
      if (!snap) throw new Error(`snapshot ${pointer.ID} is missing its chunks`);
      this.offset = pointer.Offset;
      this.seen = pointer.Rev;
      this.entriesSinceSnapshot = 0;
      this.onReset({ rows: snap.rows, appliedIndex: snap.meta.Index, tableIndexes: snap.meta.TableIndexes, pending: [] }, 'resync');
      snapshotLoaded = true;
      // Writes inside the snapshot were applied without passing through here: their results are unknown.
      this.waiters.fail(new WeftError('INTERNAL', 'the write was committed, but this server reloaded a snapshot before applying it: its result is unknown'), this.seen);
    }
    await this.deliver(await readLog(this.client, this.keys, this.seen, revision));
    this.seen = Math.max(this.seen, revision);
    this.noteHead(revision);
    this.settleWaiters();
    this.opts.onNotice?.({ kind: 'resync', fromRevision: from, toRevision: revision, snapshotLoaded });
  }
}

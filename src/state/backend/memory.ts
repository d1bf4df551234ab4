import type { LogEntry, Op } from '../op.js';
import type { SnapshotData } from '../../snapshot/index.js';
import { restoredState, restoreIndex, type Backend, type BackendState, type ResetReason } from './types.js';

/** The dev agent's backend: nothing survives the process, commits are immediate. */
export class MemoryBackend implements Backend {
  readonly name = 'inmem';
  private index = 0;
  private onCommit: (entries: LogEntry[]) => void = () => {};
  private onReset: (state: BackendState, reason: ResetReason) => void = () => {};

  async open(onCommit: (entries: LogEntry[]) => void, onReset: (state: BackendState, reason: ResetReason) => void): Promise<BackendState> {
    this.onCommit = onCommit;
    this.onReset = onReset;
    return { rows: [], appliedIndex: 0, tableIndexes: {}, pending: [] };
  }

  async append(ops: { op: Op; nonce: string }[]): Promise<void> {
    this.onCommit(ops.map(({ op, nonce }) => ({ index: ++this.index, op, nonce })));
  }

  persist(): void {}

  async restore(snapshot: SnapshotData): Promise<void> {
    this.index = restoreIndex(this.index, snapshot);
    this.onReset(restoredState(snapshot, this.index), 'restore');
  }

  async close(): Promise<void> {}
}

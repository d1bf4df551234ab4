import type { LogEntry, Op } from '../op.js';
import type { Backend, BackendState } from './types.js';

/** The dev agent's backend: nothing survives the process, commits are immediate. */
export class MemoryBackend implements Backend {
  readonly name = 'inmem';
  private index = 0;
  private onCommit: (entries: LogEntry[]) => void = () => {};

  async open(onCommit: (entries: LogEntry[]) => void): Promise<BackendState> {
    this.onCommit = onCommit;
    return { rows: [], appliedIndex: 0, tableIndexes: {}, pending: [] };
  }

  async append(ops: { op: Op; nonce: string }[]): Promise<void> {
    this.onCommit(ops.map(({ op, nonce }) => ({ index: ++this.index, op, nonce })));
  }

  persist(): void {}

  async close(): Promise<void> {}
}

import type { WriteTxn } from './txn.js';

/**
 * A write, as it travels through the log. Everything non-deterministic (ids, clocks)
 * is decided before the op is appended, so replaying the log rebuilds the same state
 * on every server and after every restart.
 */
export interface Op {
  type: string;
  [field: string]: unknown;
}

export interface LogEntry {
  index: number;
  op: Op;
  /** Which submitter on this server awaits the result; absent for replayed entries. */
  nonce?: string;
}

export type OpHandler<O extends Op = Op> = (tx: WriteTxn, op: O) => unknown;

const handlers = new Map<string, OpHandler>();

/**
 * Registers how an op type changes state. Handlers must be pure functions of the
 * current tables and the op, and throw a WeftError to refuse (the op's partial
 * changes are then rolled back).
 */
export function defineOp<O extends Op>(type: O['type'], handler: OpHandler<O>): void {
  if (handlers.has(type)) throw new Error(`op ${type} defined twice`);
  handlers.set(type, handler as OpHandler);
}

export function opHandler(type: string): OpHandler | undefined {
  return handlers.get(type);
}

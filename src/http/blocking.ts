import { WeftError } from '../lib/errors.js';
import { parseDuration } from '../lib/duration.js';
import { WatchSet, type WatchHub } from '../state/index.js';
import type { ApiRequest } from './request.js';
import type { Reply } from './reply.js';

export interface BlockingLimits {
  defaultWaitMs: number;
  maxWaitMs: number;
  /** Counts queries while they wait (the `weft_api_blocking_queries` gauge). */
  waiting?: { inc(): void; dec(): void };
}

export interface QueryResult {
  index: number;
  reply: Reply;
}

/**
 * The one blocking-query loop (Consul's `?index=&wait=`): run the read, and while its
 * index has not passed the client's, wait for a write to one of the topics the read
 * watched, the deadline, or the client going away. Every index-blocking endpoint uses it.
 */
export async function blockingQuery(
  req: ApiRequest,
  hub: WatchHub,
  limits: BlockingLimits,
  run: (ws: WatchSet) => QueryResult,
): Promise<Reply> {
  const minIndex = req.uint('index', 'index') ?? 0;
  const waitMs = parseWait(req, limits);
  const ws = new WatchSet();
  const first = run(ws);
  if (minIndex === 0 || first.index !== minIndex) return finish(first);
  // Only the index goes on waiting: the answer is read again on wake-up or timeout, and
  // thousands of held watchers of a big prefix would otherwise each keep a reply nobody reads.
  // (V8 keeps an async frame's locals, even dead ones, across an await: hence the split.)
  return waitPastIndex(req, hub, limits, run, ws, minIndex, waitMs);
}

async function waitPastIndex(
  req: ApiRequest,
  hub: WatchHub,
  limits: BlockingLimits,
  run: (ws: WatchSet) => QueryResult,
  watched: WatchSet,
  minIndex: number,
  waitMs: number,
): Promise<Reply> {
  let ws = watched;
  // Jitter spreads the wake-ups of many clients that started together.
  const deadline = Date.now() + waitMs + Math.random() * (waitMs / 16);
  const socket = req.raw.socket;
  limits.waiting?.inc();
  try {
    for (;;) {
      const woke = await waitForWrite(hub, ws, deadline - Date.now(), socket);
      // Nobody is left to read an answer: send an empty one rather than read the state again.
      if (woke === 'closed') return { index: minIndex };
      ws = new WatchSet();
      const reply = answerPast(run, ws, minIndex, woke === 'timeout');
      if (reply) return reply;
    }
  } finally {
    limits.waiting?.dec();
  }
}

/**
 * Reads again; the reply once the index moved (or the wait is over), else null, so that a
 * wake-up which changed nothing leaves no reply behind in the waiting frame.
 */
function answerPast(run: (ws: WatchSet) => QueryResult, ws: WatchSet, minIndex: number, timedOut: boolean): Reply | null {
  const result = run(ws);
  // An index that went backwards (a store restored from snapshot) is returned at once: the client resets.
  return timedOut || result.index !== minIndex ? finish(result) : null;
}

function finish(result: QueryResult): Reply {
  return { ...result.reply, index: Math.max(1, result.index) };
}

function parseWait(req: ApiRequest, limits: BlockingLimits): number {
  const raw = req.get('wait');
  if (raw === undefined || raw === '') return limits.defaultWaitMs;
  let ms: number;
  try {
    ms = parseDuration(raw);
  } catch {
    throw new WeftError('BAD_REQUEST', 'Invalid wait time');
  }
  if (ms < 0) throw new WeftError('BAD_REQUEST', 'Invalid wait time');
  return Math.min(ms, limits.maxWaitMs);
}

function waitForWrite(
  hub: WatchHub,
  ws: WatchSet,
  timeoutMs: number,
  socket: NodeJS.EventEmitter,
): Promise<'write' | 'timeout' | 'closed'> {
  if (timeoutMs <= 0) return Promise.resolve('timeout');
  return new Promise((resolve) => {
    const done = (why: 'write' | 'timeout' | 'closed') => {
      clearTimeout(timer);
      unsubscribe();
      socket.off('close', onClose);
      resolve(why);
    };
    const onClose = () => done('closed');
    const timer = setTimeout(() => done('timeout'), timeoutMs);
    const unsubscribe = hub.subscribe(ws.topics, () => done('write'));
    socket.once('close', onClose);
  });
}

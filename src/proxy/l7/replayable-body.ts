import { PassThrough, type Readable } from 'node:stream';

/** How much of a request body is kept for replaying on a retry (Envoy's default buffer limit). */
export const REPLAY_LIMIT_BYTES = 1024 * 1024;

/**
 * A request body that several attempts can send: each attempt gets a fresh stream that
 * first replays what earlier attempts already read, then follows the source. The source
 * streams through as it arrives, so a long upload or a gRPC stream is not held back; once
 * more than `limit` bytes have passed, the copy is dropped and no further attempt can start.
 */
export class ReplayableBody {
  private chunks: Buffer[] = [];
  private size = 0;
  private ended = false;
  private overflowed = false;
  private failed: Error | null = null;
  private sink: PassThrough | null = null;

  constructor(
    private readonly source: Readable,
    private readonly limit = REPLAY_LIMIT_BYTES,
  ) {
    source.pause();
    source.on('data', (chunk: Buffer) => {
      if (!this.overflowed) {
        this.size += chunk.length;
        if (this.size > this.limit) {
          this.overflowed = true;
          this.chunks = [];
        } else this.chunks.push(chunk);
      }
      const sink = this.sink;
      if (sink && !sink.write(chunk)) {
        source.pause();
        sink.once('drain', () => this.sink === sink && source.resume());
      }
    });
    source.once('end', () => {
      this.ended = true;
      this.sink?.end();
    });
    source.once('error', (err) => {
      this.failed = err;
      this.sink?.destroy(err);
    });
  }

  /** True while a new attempt can still be given the whole body. */
  get replayable(): boolean {
    return !this.overflowed && !this.failed;
  }

  /** A stream for the next attempt; an earlier attempt's stream stops receiving. */
  stream(): Readable {
    const previous = this.sink;
    const sink = new PassThrough();
    this.sink = sink;
    if (previous && !previous.destroyed) previous.destroy();
    for (const c of this.chunks) sink.write(c);
    if (this.failed) sink.destroy(this.failed);
    else if (this.ended) sink.end();
    else this.source.resume();
    return sink;
  }
}

/**
 * Keeps the last `size` bytes written, as Consul's circular buffer does for script and HTTP output,
 * so a huge body or a chatty script never grows the agent's memory.
 */
export class TailBuffer {
  private chunks: Buffer[] = [];
  private kept = 0;
  total = 0;

  constructor(readonly size: number) {}

  write(chunk: Buffer): void {
    this.total += chunk.length;
    if (this.size <= 0) return;
    const piece = chunk.length > this.size ? chunk.subarray(chunk.length - this.size) : chunk;
    this.chunks.push(piece);
    this.kept += piece.length;
    while (this.kept - this.chunks[0].length >= this.size) this.kept -= this.chunks.shift()!.length;
  }

  /** The kept bytes as text (a multi-byte character cut at the edge becomes U+FFFD). */
  text(): string {
    const all = Buffer.concat(this.chunks);
    return all.subarray(Math.max(0, all.length - this.size)).toString('utf8');
  }

  get truncated(): boolean {
    return this.total > this.size;
  }
}

/** Script output: the tail, announced with Consul's "Captured N of M bytes" header when cut. */
export function capturedOutput(buf: TailBuffer): string {
  const text = buf.text();
  return buf.truncated ? `Captured ${buf.size} of ${buf.total} bytes\n...\n${text}` : text;
}

/** TTL output set through the API: the head, with Consul's "... (captured N of M bytes)" suffix when cut. */
export function truncateTtlOutput(output: string, max: number): string {
  const bytes = Buffer.from(output, 'utf8');
  if (bytes.length <= max) return output;
  return `${bytes.subarray(0, max).toString('utf8')} ... (captured ${max} of ${bytes.length} bytes)`;
}

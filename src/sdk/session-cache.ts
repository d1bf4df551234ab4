/**
 * Client-side TLS sessions by endpoint, so a new connection to an instance dialed before
 * resumes instead of doing a full handshake (HAProxy and Envoy do the same by default).
 * Bounded; cleared whenever the certificates or roots change, so nothing made under old
 * trust is resumed.
 */
export class SessionCache {
  private readonly sessions = new Map<string, Buffer>();

  constructor(private readonly max = 1024) {}

  get(key: string): Buffer | undefined {
    return this.sessions.get(key);
  }

  set(key: string, session: Buffer): void {
    this.sessions.delete(key);
    this.sessions.set(key, session);
    if (this.sessions.size > this.max) this.sessions.delete(this.sessions.keys().next().value!);
  }

  clear(): void {
    this.sessions.clear();
  }
}

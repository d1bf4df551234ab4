import { createHash } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { CheckRow, ServiceInput } from '../../state/index.js';

export interface PersistedService {
  Service: ServiceInput;
  Token: string;
  SidecarOf?: string;
}

export interface PersistedCheck {
  /** The check as the agent holds it (status and output are only restored for TTL checks). */
  Check: CheckRow;
  /** The definition to re-create its runner from; null for maintenance checks. */
  Definition: Record<string, unknown> | null;
  Token: string;
}

/** A TTL check's last status, restored on restart while its TTL has not run out (Consul's `checks/state`). */
export interface TtlState {
  CheckID: string;
  Status: 'passing' | 'warning' | 'critical';
  Output: string;
  /** Epoch milliseconds. */
  Expires: number;
}

const fileName = (id: string): string => `${createHash('sha256').update(id).digest('hex').slice(0, 32)}.json`;

/**
 * Services and checks registered through the HTTP API, kept in the data dir so a restarted
 * agent has them again (as Consul does in `services/` and `checks/`). Config-file
 * registrations are not persisted: the files are read again on start. One file per entry,
 * replaced atomically, so a crash mid-write leaves the old entry or the new one.
 */
export class LocalPersistence {
  private readonly servicesDir: string;
  private readonly checksDir: string;
  private readonly stateDir: string;

  constructor(dataDir: string) {
    this.servicesDir = join(dataDir, 'local', 'services');
    this.checksDir = join(dataDir, 'local', 'checks');
    this.stateDir = join(dataDir, 'local', 'check-state');
    for (const d of [this.servicesDir, this.checksDir, this.stateDir]) mkdirSync(d, { recursive: true });
  }

  saveService(entry: PersistedService): void {
    writeAtomic(join(this.servicesDir, fileName(entry.Service.ID)), entry);
  }

  removeService(id: string): void {
    rmSync(join(this.servicesDir, fileName(id)), { force: true });
  }

  saveCheck(entry: PersistedCheck): void {
    writeAtomic(join(this.checksDir, fileName(entry.Check.CheckID)), entry);
  }

  /** Forgets a deregistered check: its definition and its TTL state. */
  removeCheck(id: string): void {
    this.removeCheckDefinition(id);
    rmSync(join(this.stateDir, fileName(id)), { force: true });
  }

  /** Drops only the saved definition (the check now comes from a config file; its TTL state stays). */
  removeCheckDefinition(id: string): void {
    rmSync(join(this.checksDir, fileName(id)), { force: true });
  }

  saveTtlState(state: TtlState): void {
    writeAtomic(join(this.stateDir, fileName(state.CheckID)), state);
  }

  /** The saved state of a TTL check, unless it expired (or never was saved). */
  ttlState(id: string, now = Date.now()): TtlState | undefined {
    try {
      const s = JSON.parse(readFileSync(join(this.stateDir, fileName(id)), 'utf8')) as TtlState;
      return s.CheckID === id && s.Expires > now ? s : undefined;
    } catch {
      return undefined;
    }
  }

  /** Everything saved; unreadable files are reported and skipped (a half-written temp file, a hand edit). */
  load(onBadFile: (file: string, err: unknown) => void): { services: PersistedService[]; checks: PersistedCheck[] } {
    return {
      services: readAll<PersistedService>(this.servicesDir, onBadFile).filter((s) => s.Service?.ID),
      checks: readAll<PersistedCheck>(this.checksDir, onBadFile).filter((c) => c.Check?.CheckID),
    };
  }
}

function readAll<T>(dir: string, onBadFile: (file: string, err: unknown) => void): T[] {
  const out: T[] = [];
  for (const name of readdirSync(dir)) {
    if (!name.endsWith('.json')) continue;
    const file = join(dir, name);
    try {
      out.push(JSON.parse(readFileSync(file, 'utf8')) as T);
    } catch (err) {
      onBadFile(file, err);
    }
  }
  return out;
}

function writeAtomic(file: string, value: unknown): void {
  const tmp = `${file}.tmp`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, JSON.stringify(value));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}

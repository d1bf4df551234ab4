import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WeftError } from '../lib/errors.js';

/**
 * Claims a data dir for this process. A lock left by a killed agent is taken over: its
 * process is gone, so the claim is stale; a live owner is refused, because two agents
 * appending to one log would corrupt it.
 */
export function claimDataDir(dir: string): () => void {
  mkdirSync(dir, { recursive: true });
  const lock = join(dir, 'agent.lock');
  let owner = NaN;
  try {
    owner = Number(readFileSync(lock, 'utf8').trim());
  } catch {
    // No lock: the dir is free.
  }
  if (Number.isInteger(owner) && owner !== process.pid && isAlive(owner)) {
    throw new WeftError('UNAVAILABLE', `data dir ${dir} is in use by process ${owner}`);
  }
  writeFileSync(lock, String(process.pid));
  return () => rmSync(lock, { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The node's ID: from config, else the one saved in the data dir, else a new one saved there. */
export function nodeIdFor(dataDir: string, configured: string): string {
  if (configured) return configured;
  if (!dataDir) return randomUUID();
  const file = join(dataDir, 'node-id');
  try {
    const saved = readFileSync(file, 'utf8').trim();
    if (saved) return saved;
  } catch {
    // First start in this data dir.
  }
  const id = randomUUID();
  writeFileSync(file, id);
  return id;
}

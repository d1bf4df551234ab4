/** The compact forms of the command line: `-template "in:out:command"` and `-wait "5s:10s"`. */
import { parseDuration } from '../../lib/duration.js';
import type { WaitConfig } from './types.js';

export interface TemplateFlag {
  source: string;
  destination?: string;
  command?: string;
}

/**
 * Splits on colons as consul-template does: a Windows drive letter (`C:`) stays with its
 * path, and everything after the second colon is the command, colons included.
 */
export function parseTemplateFlag(s: string): TemplateFlag {
  if (s.trim() === '') throw new Error('template: cannot be empty');
  const parts = s.match(/([a-zA-Z]:)?([^:]+)/g) ?? [];
  if (parts.length === 0) throw new Error('template: cannot be empty');
  const [source, destination] = parts as [string, string | undefined];
  const command = parts.length > 2 ? parts.slice(2).join(':') : undefined;
  return { source, destination, command };
}

/** `min[:max]`; max defaults to 4×min. */
export function parseWait(s: string): WaitConfig {
  const t = s.trim();
  if (!t) throw new Error('wait: cannot be empty');
  const parts = t.split(':');
  if (parts.length > 2) throw new Error('wait: invalid format');
  const minMs = parseDuration(parts[0].trim());
  const maxMs = parts.length === 2 ? parseDuration(parts[1].trim()) : 4 * minMs;
  return checkWait({ minMs, maxMs });
}

export function checkWait(w: WaitConfig): WaitConfig {
  if (w.minMs < 0 || w.maxMs < 0) throw new Error('wait: cannot be negative');
  if (w.maxMs < w.minMs) throw new Error('wait: min must be less than max');
  return w;
}

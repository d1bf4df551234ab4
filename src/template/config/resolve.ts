/**
 * Layers (config files in order, then the command line) merged as consul-template merges
 * them: later scalars win, blocks merge key by key, templates accumulate. Then defaults
 * and checks turn the result into a `RunnerConfig`.
 */
import { parseDuration } from '../../lib/duration.js';
import { WeftError } from '../../lib/errors.js';
import { DEFAULT_RETRY } from '../deps/retry.js';
import { parseSignal } from '../runner/signals.js';
import type { FileLayer, TemplateBlock } from './schema.js';
import { checkWait, parseWait } from './syntax.js';
import {
  DEFAULT_BLOCK_QUERY_WAIT_MS,
  DEFAULT_COMMAND_TIMEOUT_MS,
  DEFAULT_KILL_TIMEOUT_MS,
  type LogLevel,
  type RunnerConfig,
  type TemplateConfig,
  type WaitConfig,
} from './types.js';

const fail = (message: string) => new WeftError('CONFIG_INVALID', message);

export const DEFAULT_MAX_STALE_MS = 2_000;

type WaitLayer = NonNullable<FileLayer['wait']>;

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function mergeObjects<T extends Record<string, unknown>>(a: T | undefined, b: T | undefined): T | undefined {
  if (!a) return b;
  if (!b) return a;
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    if (v === undefined) continue;
    out[k] = isObject(out[k]) && isObject(v) ? mergeObjects(out[k] as Record<string, unknown>, v) : v;
  }
  return out as T;
}

function waitObject(w: WaitLayer | undefined): Exclude<WaitLayer, string> | undefined {
  if (typeof w !== 'string') return w;
  const { minMs, maxMs } = parseWait(w);
  return { min: `${minMs}ms`, max: `${maxMs}ms` };
}

export function mergeLayers(layers: FileLayer[]): FileLayer {
  let out: FileLayer = {};
  for (const layer of layers) {
    const next: FileLayer = { ...out };
    for (const [k, v] of Object.entries(layer) as [keyof FileLayer, unknown][]) {
      if (v === undefined) continue;
      if (k === 'template') next.template = [...(out.template ?? []), ...(v as TemplateBlock[])];
      else if (k === 'wait') next.wait = mergeObjects(waitObject(out.wait), waitObject(v as WaitLayer));
      else if (k === 'consul') {
        const asObj = (c: FileLayer['consul']) => (typeof c === 'string' ? { address: c } : c);
        next.consul = mergeObjects(asObj(out.consul), asObj(v as FileLayer['consul']));
      } else if (isObject(v)) (next as Record<string, unknown>)[k] = mergeObjects(out[k] as Record<string, unknown> | undefined, v);
      else (next as Record<string, unknown>)[k] = v;
    }
    out = next;
  }
  return out;
}

const ms = (d: string | number | undefined, dflt: number): number => (d === undefined ? dflt : parseDuration(d));

function resolveWait(w: WaitLayer | undefined, where: string): WaitConfig | undefined {
  const obj = waitObject(w);
  if (!obj) return undefined;
  const minMs = ms(obj.min, 0);
  const enabled = obj.enabled ?? minMs > 0;
  if (!enabled) return undefined;
  try {
    return checkWait({ minMs, maxMs: ms(obj.max, 4 * minMs) });
  } catch (err) {
    throw fail(`${where}: ${(err as Error).message}`);
  }
}

const commandList = (c: string | string[] | undefined): string[] => (c === undefined ? [] : typeof c === 'string' ? (c ? [c] : []) : c);

function resolveTemplate(t: TemplateBlock, i: number, layer: FileLayer, dry: boolean): TemplateConfig {
  const where = `template[${i}]`;
  const hasSource = !!t.source;
  const hasContents = t.contents !== undefined && t.contents !== '';
  if (hasSource === hasContents) {
    throw fail(hasSource ? `${where}: cannot specify both 'source' and 'contents'` : `${where}: must specify exactly one of 'source' or 'contents'`);
  }
  if (!t.destination && !dry) throw fail(`${where}: missing destination (only -dry runs may omit it)`);
  const perms = t.perms === undefined ? undefined : typeof t.perms === 'string' ? parseInt(t.perms, 8) : t.perms;
  return {
    source: t.source || undefined,
    contents: hasContents ? t.contents : undefined,
    destination: t.destination ?? '',
    command: commandList(t.exec?.command ?? t.command),
    commandTimeoutMs: ms(t.exec?.timeout ?? t.command_timeout, DEFAULT_COMMAND_TIMEOUT_MS),
    perms,
    backup: t.backup ?? false,
    createDestDirs: t.create_dest_dirs ?? true,
    leftDelim: t.left_delimiter || layer.default_delimiters?.left || undefined,
    rightDelim: t.right_delimiter || layer.default_delimiters?.right || undefined,
    wait: resolveWait(t.wait, `${where}.wait`),
    errorFatal: t.error_fatal ?? layer.template_error_fatal ?? true,
  };
}

function logLevel(raw: string | undefined): LogLevel {
  const l = (raw ?? 'warn').trim().toLowerCase();
  const map: Record<string, LogLevel> = { trace: 'trace', debug: 'debug', info: 'info', warn: 'warn', warning: 'warn', err: 'error', error: 'error' };
  if (!map[l]) throw fail(`log_level: must be one of trace, debug, info, warn, err; got "${raw}"`);
  return map[l];
}

export function resolveConfig(layer: FileLayer, mode: { once: boolean; dry: boolean }): RunnerConfig {
  const templates = (layer.template ?? []).map((t, i) => resolveTemplate(t, i, layer, mode.dry));
  if (templates.length === 0) throw fail('At least one template must be specified (-template or a template block in -config)');
  const consul = typeof layer.consul === 'string' ? { address: layer.consul } : (layer.consul ?? {});
  const r = consul.retry ?? {};
  const execCommand = commandList(layer.exec?.command);
  const sig = (s: string | undefined) => (s ? parseSignal(s) : undefined);
  return {
    templates,
    wait: resolveWait(layer.wait, 'wait'),
    maxStaleMs: ms(layer.max_stale, DEFAULT_MAX_STALE_MS),
    blockQueryWaitMs: ms(layer.block_query_wait, DEFAULT_BLOCK_QUERY_WAIT_MS),
    logLevel: logLevel(layer.log_level),
    consul: {
      address: consul.address || undefined,
      token: consul.token || undefined,
      tokenFile: consul.token_file || undefined,
      retry: {
        enabled: r.enabled ?? DEFAULT_RETRY.enabled,
        attempts: r.attempts ?? DEFAULT_RETRY.attempts,
        backoffMs: ms(r.backoff, DEFAULT_RETRY.backoffMs),
        maxBackoffMs: ms(r.max_backoff, DEFAULT_RETRY.maxBackoffMs),
      },
      tls: consul.ssl
        ? {
            enabled: consul.ssl.enabled,
            verify: consul.ssl.verify,
            caFile: consul.ssl.ca_cert,
            caPath: consul.ssl.ca_path,
            certFile: consul.ssl.cert,
            keyFile: consul.ssl.key,
            serverName: consul.ssl.server_name,
          }
        : undefined,
    },
    exec:
      execCommand.length > 0 && layer.exec?.enabled !== false
        ? {
            command: execCommand,
            reloadSignal: sig(layer.exec?.reload_signal) ?? null,
            killSignal: sig(layer.exec?.kill_signal) ?? 'SIGINT',
            killTimeoutMs: ms(layer.exec?.kill_timeout, DEFAULT_KILL_TIMEOUT_MS),
            splayMs: ms(layer.exec?.splay, 0),
          }
        : undefined,
    once: mode.once,
    dry: mode.dry,
    pidFile: layer.pid_file || undefined,
  };
}

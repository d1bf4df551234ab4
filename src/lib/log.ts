import pino, { type Logger } from 'pino';

/** Every subsystem that logs; names appear as `@module` in each line, as Consul's do. */
export const SUBSYSTEMS = ['agent', 'http', 'state', 'dns', 'checks', 'cluster', 'connect', 'proxy', 'template', 'acl'] as const;
export type Subsystem = (typeof SUBSYSTEMS)[number];

export interface LogOptions {
  level: 'trace' | 'debug' | 'info' | 'warn' | 'error';
  json: boolean;
  /** Where lines go; stderr unless a test or the CLI says otherwise. */
  destination?: NodeJS.WritableStream;
}

/** Keys whose values are secrets wherever they appear in a log object. */
const REDACT = ['token', '*.token', 'Token', '*.Token', 'SecretID', '*.SecretID', 'headers["x-consul-token"]', 'headers.authorization'];

/**
 * The one logger factory. Text mode prints Consul-like lines (`2026-11-22T07:00:00.000Z [INFO]  agent: started`)
 * so operators can read them; JSON mode is pino's.
 */
export function createLogger(opts: LogOptions): Logger {
  const destination = opts.destination ?? process.stderr;
  if (opts.json) {
    return pino({ level: opts.level, redact: { paths: REDACT, censor: '<hidden>' }, base: undefined }, destination as pino.DestinationStream);
  }
  const stream = { write: (line: string) => destination.write(formatText(line)) };
  return pino({ level: opts.level, redact: { paths: REDACT, censor: '<hidden>' }, base: undefined }, stream);
}

export function subsystem(root: Logger, name: Subsystem): Logger {
  return root.child({ '@module': name });
}

const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'ERROR' };

function formatText(line: string): string {
  const rec = JSON.parse(line) as Record<string, unknown>;
  const { level, time, msg, '@module': module, err, ...fields } = rec;
  const lvl = `[${LEVELS[level as number] ?? 'INFO'}]`.padEnd(8);
  const parts = [`${new Date(time as number).toISOString()} ${lvl}${module ? `${module}: ` : ''}${msg ?? ''}`];
  for (const [k, v] of Object.entries(fields)) parts.push(`${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
  if (err && typeof err === 'object') parts.push(`error="${(err as { message?: string }).message ?? ''}"`);
  return parts.join(' ') + '\n';
}

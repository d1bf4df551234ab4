import type { Logger } from 'pino';
import { WeftError } from '../lib/errors.js';
import { truncateTtlOutput } from './output.js';
import type { Probe, ProbeContext } from './probes/context.js';
import { probeGrpc } from './probes/grpc.js';
import { probeH2ping } from './probes/h2ping.js';
import { probeHttp } from './probes/http.js';
import { probeScript } from './probes/script.js';
import { probeTcp } from './probes/tcp.js';
import { probeUdp } from './probes/udp.js';
import { StatusHandler } from './status-handler.js';
import type { CheckDefinition, CheckRunnerDeps, CheckStatus, CheckUpdate, IntervalCheckType, ProbeResult } from './types.js';

const PROBES: Record<IntervalCheckType, Probe> = {
  http: probeHttp,
  tcp: probeTcp,
  udp: probeUdp,
  grpc: probeGrpc,
  h2ping: probeH2ping,
  script: probeScript,
};

export const SCRIPTS_DISABLED = "Scripts are disabled on this agent; to enable, configure 'enable_script_checks' to true";

/** Runs one probe of an interval check (HTTP, TCP, UDP, gRPC, H2PING, script) once, without thresholds. */
export function probeCheck(def: CheckDefinition, ctx: ProbeContext): Promise<ProbeResult> {
  if (def.type === 'ttl' || def.type === 'alias') throw new Error(`${def.type} checks are not probed`);
  return PROBES[def.type](def, ctx);
}

/**
 * Keeps one check's status current and reports each change through `onUpdate`:
 * interval checks run their probe after a random stagger, then `intervalMs` after each run ends
 * (runs never overlap); TTL checks turn critical when `ttlUpdate` is not called within the TTL;
 * alias checks mirror their AliasSource. `stop()` is final: timers, in-flight probes and scripts
 * are cancelled at once and nothing is reported afterwards.
 */
export class CheckRunner {
  private current: CheckUpdate;
  private started = false;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private inflight: AbortController | undefined;
  private unsubscribe: (() => void) | undefined;
  private ttlLastOutput = '';
  private readonly handler: StatusHandler;
  private readonly log: Logger | undefined;

  constructor(
    readonly def: CheckDefinition,
    private readonly deps: CheckRunnerDeps,
  ) {
    if (def.type === 'alias' && !deps.aliasSource) throw new Error(`alias check "${def.id}" needs an alias source`);
    this.current = { id: def.id, status: deps.initial?.status ?? def.initialStatus, output: deps.initial?.output ?? '' };
    this.handler = new StatusHandler(def);
    this.log = deps.log?.child({ check: def.id });
  }

  /** The status and output last reported (or the initial ones). */
  get state(): CheckUpdate {
    return { ...this.current };
  }

  start(): void {
    if (this.started || this.stopped) return;
    this.started = true;
    const def = this.def;
    if (def.type === 'ttl') {
      this.armTtl();
    } else if (def.type === 'alias') {
      this.unsubscribe = this.deps.aliasSource!.subscribe(
        { ...(def.aliasNode ? { node: def.aliasNode } : {}), ...(def.aliasService ? { serviceId: def.aliasService } : {}) },
        (status, output) => this.report({ status, output }),
      );
    } else if (def.type === 'script' && !this.deps.scriptChecksEnabled) {
      this.report({ status: 'critical', output: SCRIPTS_DISABLED });
    } else {
      // Consul staggers the first run by up to one interval so a restart does not fire every check at once.
      this.schedule(Math.floor(Math.random() * def.intervalMs));
    }
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.inflight?.abort();
    this.inflight = undefined;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  /**
   * Sets a TTL check's status (the agent's /v1/agent/check/pass|warn|fail|update) and restarts its TTL.
   * Returns the output as stored (cut to `outputMaxSize`, as Consul does).
   */
  ttlUpdate(status: CheckStatus, output: string): string {
    if (this.def.type !== 'ttl' || this.stopped) {
      throw new WeftError('INTERNAL', `CheckID "${this.def.id}" does not have associated TTL`);
    }
    const stored = truncateTtlOutput(output, this.def.outputMaxSize);
    this.ttlLastOutput = stored;
    this.report({ status, output: stored });
    if (this.started) this.armTtl();
    return stored;
  }

  private armTtl(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.log?.warn('Check missed TTL, is now critical');
      const last = this.ttlLastOutput;
      this.report({ status: 'critical', output: last === '' ? 'TTL expired' : `TTL expired (last output before timeout follows): ${last}` });
    }, this.def.ttlMs);
    this.timer.unref();
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => void this.run(), delayMs);
    this.timer.unref();
  }

  private async run(): Promise<void> {
    this.timer = undefined;
    if (this.stopped) return;
    const ac = new AbortController();
    this.inflight = ac;
    let result: ProbeResult;
    try {
      result = await probeCheck(this.def, { signal: ac.signal, tlsCa: this.deps.tlsCa });
    } catch (err) {
      // Probes report failures as results; an exception is a bug, which must not end the check's loop.
      this.log?.error({ err }, 'Check probe failed unexpectedly');
      result = { status: 'critical', output: (err as Error).message };
    }
    if (this.stopped || ac.signal.aborted) return;
    this.inflight = undefined;
    const verdict = this.handler.next(result);
    if (verdict) this.report(verdict);
    else this.log?.debug({ status: result.status }, 'Check result held back by its success/failure threshold');
    this.schedule(this.def.intervalMs);
  }

  private report(next: ProbeResult): void {
    if (this.stopped) return;
    if (next.status === this.current.status && next.output === this.current.output) return;
    if (next.status !== this.current.status) {
      const level = next.status === 'passing' ? 'debug' : 'warn';
      this.log?.[level]({ status: next.status }, `Check is now ${next.status}`);
    }
    this.current = { id: this.def.id, status: next.status, output: next.output };
    this.deps.onUpdate({ ...this.current });
  }
}

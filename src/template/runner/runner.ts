/**
 * The render loop (consul-template's manager/runner.go). A pass executes every template
 * against the brain: dependencies a template used but has no data for are "missing", get a
 * watch, and hold that template back; a template with all its data is written (atomically,
 * only if it changed) unless its quiescence timer is still running. Commands of changed
 * templates run after the pass; the exec child is started once everything has rendered,
 * and reloaded after passes that changed a file. Watches deliver data between passes, and
 * each delivery schedules the next pass.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import type { Logger } from 'pino';
import type { ApiClient } from '../../api/index.js';
import type { RunnerConfig, TemplateConfig } from '../config/types.js';
import type { Dependency } from '../deps/dependency.js';
import type { View } from '../deps/view.js';
import { Watcher } from '../deps/watcher.js';
import { Brain } from '../functions/index.js';
import { runCommand } from './command.js';
import { ExecChild } from './exec-child.js';
import type { Output } from './process.js';
import { Quiescence } from './quiescence.js';
import { renderFile } from './render.js';
import { RenderableTemplate } from './template.js';

export interface RunnerOptions {
  config: RunnerConfig;
  client: ApiClient;
  /** For `env` and for the commands and the exec child (with CONSUL_HTTP_ADDR added). */
  env: NodeJS.ProcessEnv;
  out: Output;
  log: Logger;
  now?: () => Date;
}

interface Entry {
  config: TemplateConfig;
  template: RenderableTemplate;
  /** Has been written, or found already identical on disk, at least once. */
  rendered: boolean;
  /** Dependencies of its last successful execution; kept watched when an execution fails. */
  used: Dependency[];
  quiescence?: Quiescence;
}

/** How a template is named in logs: `"in.ctmpl" => "out.conf"`. */
export function display(c: TemplateConfig): string {
  return `"${c.source ?? '(dynamic)'}" => "${c.destination}"`;
}

export class Runner {
  private readonly brain = new Brain();
  private readonly watcher: Watcher;
  private dependencies = new Map<string, Dependency>();
  private readonly delivered: View[] = [];
  private readonly fired = new Set<Entry>();
  private dataChanged = false;
  private running = false;
  private pending = false;
  private child: ExecChild | undefined;
  private finished = false;
  private settle!: (code: number) => void;
  private fail!: (err: Error) => void;
  readonly done: Promise<number>;

  private constructor(
    private readonly opts: RunnerOptions,
    private readonly entries: Entry[],
  ) {
    const { config, client, env, log } = opts;
    this.watcher = new Watcher(
      { ctx: { client, env }, maxStaleMs: config.maxStaleMs, blockWaitMs: config.blockQueryWaitMs, once: config.once, retry: config.consul.retry, log },
      (view) => {
        this.delivered.push(view);
        this.schedule();
      },
      (dep, err) => this.finish(new Error(`${dep.key}: ${err.message}`)),
    );
    this.done = new Promise((resolve, reject) => {
      this.settle = resolve;
      this.fail = reject;
    });
  }

  /** Reads and parses every template; any syntax error or unknown function rejects here, before anything is fetched. */
  static async create(opts: RunnerOptions): Promise<Runner> {
    const entries: Entry[] = [];
    for (const config of opts.config.templates) {
      const text = config.source !== undefined ? await readSource(config.source) : (config.contents ?? '');
      const template = new RenderableTemplate(
        { name: config.source ?? '(dynamic)', text, leftDelim: config.leftDelim, rightDelim: config.rightDelim },
        opts.env,
        opts.now,
      );
      entries.push({ config, template, rendered: false, used: [] });
    }
    return new Runner(opts, entries);
  }

  /** Starts the first pass; `done` resolves with the exit code, or rejects with the error that ended the run. */
  start(): Promise<number> {
    const { pidFile } = this.opts.config;
    const begin = pidFile ? writeFile(pidFile, String(process.pid)) : Promise.resolve();
    begin.then(() => this.schedule(), (err: Error) => this.finish(new Error(`runner: could not write pid file: ${err.message}`)));
    return this.done;
  }

  /** Stops watches, timers and the child (with its kill signal); `done` resolves with 0. */
  async stop(): Promise<void> {
    await this.finish(0);
  }

  private schedule(): void {
    if (this.finished) return;
    if (this.running) {
      this.pending = true;
      return;
    }
    this.running = true;
    // Let every delivery already queued land first: one pass for a burst of changes.
    setImmediate(() => void this.loop());
  }

  private async loop(): Promise<void> {
    try {
      do {
        this.pending = false;
        await this.pass();
        if (!this.finished) await this.afterPass();
      } while (this.pending && !this.finished);
    } catch (err) {
      await this.finish(err instanceof Error ? err : new Error(String(err)));
    } finally {
      this.running = false;
    }
  }

  private async pass(): Promise<void> {
    const { log, config } = this.opts;
    for (const view of this.delivered.splice(0)) {
      if (this.dependencies.has(view.dependency.key)) this.brain.remember(view.dependency, view.data);
      this.dataChanged = true;
    }
    const triggeredByData = this.dataChanged;
    this.dataChanged = false;
    const fired = new Set(this.fired);
    this.fired.clear();
    log.debug('(runner) initiating run');

    const deps = new Map<string, Dependency>();
    const commands: { command: string[]; timeoutMs: number; from: string }[] = [];
    let renderedAny = false;
    for (const entry of this.entries) {
      if (config.once && entry.rendered) continue;
      let exec;
      try {
        exec = await entry.template.execute(this.brain);
      } catch (err) {
        if (entry.config.errorFatal) throw err;
        log.error(`(runner) ${display(entry.config)}: ${(err as Error).message}`);
        for (const d of entry.used) deps.set(d.key, d);
        continue;
      }
      entry.used = exec.used.list();
      for (const d of entry.used) {
        deps.set(d.key, d);
        if (!this.watcher.watching(d)) exec.missing.add(d);
      }
      const unwatched = exec.missing.list().filter((d) => !this.watcher.watching(d));
      for (const d of unwatched) this.watcher.add(d);
      if (exec.missing.size > 0) {
        log.debug(`(runner) ${display(entry.config)}: missing data for ${exec.missing.size} dependencies: ${exec.missing.list().map((d) => d.key).join(', ')}`);
        continue;
      }
      if (entry.quiescence && !fired.has(entry)) {
        if (triggeredByData) entry.quiescence.tick();
        continue;
      }
      entry.quiescence?.stop();
      entry.quiescence = undefined;
      const result = await this.write(entry, exec.output);
      if (!result) continue;
      entry.rendered = true;
      if (result.didRender) {
        renderedAny = true;
        if (!config.dry) log.info(`(runner) rendered ${display(entry.config)}`);
        const { command, commandTimeoutMs } = entry.config;
        if (!config.dry && command.length > 0 && !commands.some((c) => c.command.join('\0') === command.join('\0'))) {
          commands.push({ command, timeoutMs: commandTimeoutMs, from: display(entry.config) });
        }
      }
    }
    this.updateDependencies(deps);

    for (const c of commands) {
      log.info(`(runner) executing command "${c.command.join(' ')}" from ${c.from}`);
      try {
        await runCommand(c.command, c.timeoutMs, this.childEnv(), this.opts.out);
      } catch (err) {
        log.error(`(runner) failed to execute command "${c.command.join(' ')}" from ${c.from}: ${(err as Error).message}`);
      }
    }
    if (renderedAny && this.child) {
      await this.child.reload().catch((err: Error) => log.error(`(runner) reloading the exec child: ${err.message}`));
    }
    log.debug(`(runner) run finished (${renderedAny ? 'files changed' : 'no files changed'})`);
  }

  /** Writes (or prints) one template; null when a non-fatal write error was logged. */
  private async write(entry: Entry, output: string) {
    const { config } = this.opts;
    try {
      return await renderFile({
        path: entry.config.destination,
        contents: output,
        perms: entry.config.perms,
        backup: entry.config.backup,
        createDestDirs: entry.config.createDestDirs,
        dry: config.dry ? (text) => this.opts.out.stdout(text) : undefined,
      });
    } catch (err) {
      const message = `error rendering ${display(entry.config)}: ${(err as Error).message}`;
      if (entry.config.errorFatal) throw new Error(message);
      this.opts.log.error(`(runner) ${message}`);
      return null;
    }
  }

  /** Stops watching what no template uses any more (consul-template's diffAndUpdateDeps). */
  private updateDependencies(deps: Map<string, Dependency>): void {
    for (const [key, d] of this.dependencies) {
      if (deps.has(key)) continue;
      this.watcher.remove(d);
      this.brain.forget(d);
    }
    this.dependencies = deps;
  }

  private async afterPass(): Promise<void> {
    const { config } = this.opts;
    if (!this.entries.every((e) => e.rendered)) return;
    for (const entry of this.entries) {
      const wait = entry.config.wait ?? config.wait;
      if (!wait || entry.quiescence) continue;
      entry.quiescence = new Quiescence(wait.minMs, wait.maxMs, () => {
        this.fired.add(entry);
        this.schedule();
      });
    }
    if (config.exec && !this.child) {
      this.child = new ExecChild(config.exec, this.childEnv(), this.opts.out, this.opts.log, (code) => {
        this.opts.log.info(`(runner) child process died with exit code ${code}`);
        this.child = undefined;
        void this.finish(code);
      });
      await this.child.start();
    }
    if (config.once && !config.exec) await this.finish(0);
  }

  private childEnv(): NodeJS.ProcessEnv {
    const { address, token } = this.opts.client.options;
    const env: NodeJS.ProcessEnv = { ...this.opts.env, CONSUL_HTTP_ADDR: address };
    if (token) env.CONSUL_HTTP_TOKEN = token;
    return env;
  }

  private async finish(result: number | Error): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    this.watcher.stop();
    for (const e of this.entries) e.quiescence?.stop();
    await this.child?.stop();
    if (this.opts.config.pidFile) await rm(this.opts.config.pidFile, { force: true });
    if (typeof result === 'number') this.settle(result);
    else this.fail(result);
  }
}

async function readSource(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    throw new Error(`failed to read template: ${(err as Error).message}`);
  }
}

/**
 * One template: parsed once (so a syntax error or an unknown function stops everything
 * before anything is fetched or written), executed against the brain on every pass.
 */
import { Template } from '../engine/index.js';
import { Brain, DepSet, type ExecutionScope, Scratch, templateFunctions } from '../functions/index.js';

export interface TemplateText {
  /** How errors and logs name it: the source path, or "(dynamic)" for inline contents. */
  name: string;
  text: string;
  leftDelim?: string;
  rightDelim?: string;
}

export interface Execution {
  output: string;
  used: DepSet;
  missing: DepSet;
}

export class RenderableTemplate {
  private scope: (ExecutionScope & { scratch: Scratch }) | undefined;
  private readonly template: Template;

  constructor(
    readonly source: TemplateText,
    env: NodeJS.ProcessEnv,
    now?: () => Date,
  ) {
    const funcs = templateFunctions({
      current: () => {
        if (!this.scope) throw new Error('template function called outside an execution');
        return this.scope;
      },
      env,
      executeTemplate: (name, data) => this.template.executeTemplate(name, data),
      now,
    });
    this.template = Template.parse(source.name, source.text, { funcs, leftDelim: source.leftDelim, rightDelim: source.rightDelim });
  }

  get name(): string {
    return this.source.name;
  }

  /**
   * Renders with what the brain knows; `missing` lists dependencies it has no data for yet.
   * Dot is nil, as in consul-template, unless `dot` is given.
   */
  async execute(brain: Brain, dot?: unknown): Promise<Execution> {
    const scope = { brain, used: new DepSet(), missing: new DepSet(), scratch: new Scratch() };
    this.scope = scope;
    try {
      const output = await this.template.execute(dot);
      return { output, used: scope.used, missing: scope.missing };
    } finally {
      this.scope = undefined;
    }
  }
}

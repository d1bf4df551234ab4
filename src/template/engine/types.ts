/** A function callable from templates. It may be async: execution awaits its result. */
export type TemplateFunc = (...args: unknown[]) => unknown | Promise<unknown>;

/**
 * consul-template's `ServiceTags` ([]string, sorted). Old templates call
 * `{{ if .Tags.Contains "x" }}`: a method consul-template once had and later removed in
 * favour of `{{ if .Tags | contains "x" }}`. Both work here.
 */
export class ServiceTags extends Array<string> {
  /** Sorted copy of `tags` (consul-template sorts every tag list it returns). */
  static sorted(tags: readonly string[] | null | undefined): ServiceTags {
    const out = new ServiceTags();
    out.push(...[...(tags ?? [])].sort(byBytes));
    return out;
  }

  Contains(tag: string): boolean {
    return this.includes(tag);
  }
}

/** Go's sort.Strings order (bytewise), which differs from localeCompare. */
export function byBytes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

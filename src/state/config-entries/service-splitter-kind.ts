/**
 * service-splitter: weighted splits of a service's traffic across subsets or services.
 * Weights have two decimals (0.01% is the smallest share) and must sum to exactly 100.
 */
import { bad, checkDefaultTenancy, headerModifiersSchema } from './common-fields.js';
import { SERVICE_SPLITTER, type ServiceSplit, type ServiceSplitterEntry } from './entry-types.js';
import { defineConfigKind } from './kinds.js';
import { objectOf } from './schema.js';

/** A weight in hundredths of a percent, as Consul scales float32 weights before summing. */
export const scaleWeight = (w: number): number => Math.round(w * 100);
/** A weight rounded to the two decimals a split can express. */
export const normalizeWeight = (w: number): number => scaleWeight(w) / 100;

defineConfigKind({
  kind: SERVICE_SPLITTER,
  schema: objectOf({
    Splits: {
      list: objectOf({
        Weight: 'float',
        Service: 'string',
        ServiceSubset: 'string',
        Namespace: 'string',
        Partition: 'string',
        RequestHeaders: headerModifiersSchema,
        ResponseHeaders: headerModifiersSchema,
      }),
    },
  }),
  normalize: (e) => {
    const splits = ((e.Splits as ServiceSplit[] | undefined) ?? []).map((s, i) => {
      checkDefaultTenancy(`Splits[${i}]`, s);
      const { Namespace: _ns, Partition: _p, ...rest } = s;
      return { ...rest, Weight: normalizeWeight(s.Weight ?? 0) };
    });
    return { ...e, Splits: splits };
  },
  validate: (raw) => {
    const e = raw as ServiceSplitterEntry;
    if (e.Splits.length === 0) throw bad('no splits configured');
    const seen = new Set<string>();
    for (const [i, s] of e.Splits.entries()) {
      if (s.Weight < 0 || s.Weight > 100) throw bad(`Splits[${i}].Weight must be between 0 and 100, not ${s.Weight.toFixed(2)}`);
      const service = s.Service || e.Name;
      const subset = s.ServiceSubset ?? '';
      const key = `${service}\u0000${subset}`;
      if (seen.has(key)) {
        throw bad(`split destination occurs more than once: service=${JSON.stringify(service)}, subset=${JSON.stringify(subset)}, namespace="", partition=""`);
      }
      seen.add(key);
    }
    const sum = e.Splits.reduce((acc, s) => acc + scaleWeight(s.Weight), 0);
    if (sum !== 100 * 100) throw bad(`the sum of all split weights must be 100, not ${(sum / 100).toFixed(2)}`);
  },
});

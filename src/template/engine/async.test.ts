import { describe, expect, it } from 'vitest';
import { Template, TemplateError, type TemplateFunc } from './index.js';

const later = <T>(value: T, ms = 1): Promise<T> => new Promise((resolve) => setTimeout(() => resolve(value), ms));

/** consul-template style: `service` fetches the healthy instances of a service. */
const catalog: Record<string, { Address: string; Port: number; Tags: string[] }[]> = {
  web: [
    { Address: '10.0.0.1', Port: 8080, Tags: ['velocity', 'v1'] },
    { Address: '10.0.0.2', Port: 8081, Tags: ['v1'] },
  ],
};

const funcs: Record<string, TemplateFunc> = {
  service: async (name) => later(catalog[String(name).split('.').pop()!] ?? []),
  key: async (k) => later(k === 'lb/mode' ? 'least_conn' : ''),
  slowFail: async () => {
    await later(null);
    throw new Error('connection refused');
  },
  never: () => new Promise(() => undefined),
};

const nginx = `upstream web {
{{- with key "lb/mode" }}
  {{ . }};
{{- end }}
{{- range service "web" }}
  server {{ .Address }}:{{ .Port }};{{ if in .Tags "velocity" }} # fast{{ end }}
{{- end }}
}
`;

describe('asynchronous functions', () => {
  it('renders a consul-template style file whose functions fetch data', async () => {
    const inFn: TemplateFunc = (list, item) => (list as unknown[]).includes(item);
    const t = Template.parse('nginx.ctmpl', nginx, { funcs: { ...funcs, in: inFn } });
    expect(await t.execute(null)).toBe(
      'upstream web {\n  least_conn;\n  server 10.0.0.1:8080; # fast\n  server 10.0.0.2:8081;\n}\n',
    );
  });

  it('awaits async results used as arguments, in pipelines and in conditions', async () => {
    const t = Template.parse('t', '{{len (service "web")}} {{service "web" | len}} {{if service "none"}}x{{else}}none{{end}}', { funcs });
    expect(await t.execute(null)).toBe('2 2 none');
  });

  it('awaits async methods on data', async () => {
    const data = { Lookup: async (k: string) => later(`v-${k}`), Nested: { Deep: async () => later({ Leaf: 'ok' }) } };
    expect(await Template.parse('t', '{{.Lookup "a"}} {{.Nested.Deep.Leaf}}', { funcs: {} }).execute(data)).toBe('v-a ok');
  });

  it('reports a rejected promise with the position of the call', async () => {
    const t = Template.parse('t', 'a\n  {{ slowFail }}', { funcs });
    const err = await t.execute(null).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TemplateError);
    expect((err as TemplateError).message).toBe(
      'template: t:2:5: executing "t" at <slowFail>: error calling slowFail: connection refused',
    );
    expect((err as TemplateError).cause).toBeInstanceOf(Error);
  });

  it('does not call the async operands and/or short-circuit past', async () => {
    let calls = 0;
    const count: TemplateFunc = async () => {
      calls++;
      return later(1);
    };
    const t = Template.parse('t', '{{or 1 (count)}} {{and 0 (count)}} {{or 0 (count)}}', { funcs: { count } });
    expect(await t.execute(null)).toBe('1 0 1');
    expect(calls).toBe(1);
  });

  it('runs concurrent executions of one template independently', async () => {
    const echo: TemplateFunc = async (v, ms) => later(v, ms as number);
    const t = Template.parse('t', '{{range $i, $e := .Items}}{{$i}}{{echo $e $.Ms}}{{end}}', { funcs: { echo } });
    const [slow, fast] = await Promise.all([
      t.execute({ Items: ['a', 'b', 'c'], Ms: 5 }),
      t.execute({ Items: ['x', 'y'], Ms: 1 }),
    ]);
    expect([slow, fast]).toEqual(['0a1b2c', '0x1y']);
  });
});

describe('a pipeline waiting on promises', () => {
  it('calls every function once, however many promises it waits for', async () => {
    const calls: string[] = [];
    const sync: TemplateFunc = (v) => {
      calls.push(`sync ${v}`);
      return v;
    };
    const slow: TemplateFunc = async (v) => {
      calls.push(`slow ${v}`);
      return later(v);
    };
    const t = Template.parse('t', '{{printf "%s %s %s %s" (sync "a") (slow "b") (sync "c") (slow "d") | sync}}', { funcs: { sync, slow } });
    expect(await t.execute(null)).toBe('a b c d');
    expect(calls).toEqual(['sync a', 'slow b', 'sync c', 'slow d', 'sync a b c d']);
  });

  it('keeps declarations made inside it exactly once', async () => {
    const t = Template.parse('t', '{{$x := 0}}{{print ($y := slow 1) $y ($x = slow 5) $x}}{{$x}}', {
      funcs: { slow: async (v) => later(v) },
    });
    expect(await t.execute(null)).toBe('1 1 5 55');
  });

  it('reports a rejection after earlier promises resolved, at the failing call', async () => {
    const t = Template.parse('t', '{{print (key "lb/mode") (slowFail)}}', { funcs });
    await expect(t.execute(null)).rejects.toThrow('template: t:1:25: executing "t" at <slowFail>: error calling slowFail: connection refused');
  });

  it('waits inside range, if and template invocations', async () => {
    const t = Template.parse(
      't',
      '{{define "row"}}[{{key .}}]{{end}}{{range $i, $s := service "web"}}{{if key "lb/mode"}}{{template "row" "lb/mode"}}{{end}}{{$i}}{{end}}',
      { funcs },
    );
    expect(await t.execute(null)).toBe('[least_conn]0[least_conn]1');
  });
});

describe('synchronous templates', () => {
  it('finish without waiting on a promise per node', async () => {
    const t = Template.parse('t', '{{range .}}{{.Name}}{{if .Up}}+{{end}}{{len .Tags}}{{end}}', { funcs: {} });
    const data = Array.from({ length: 2000 }, (_, i) => ({ Name: `n${i}`, Up: i % 2 === 0, Tags: ['a'] }));
    let done = false;
    const result = t.execute(data).then((out) => {
      done = true;
      return out;
    });
    for (let i = 0; i < 5; i++) await Promise.resolve();
    expect(done).toBe(true);
    expect((await result).length).toBeGreaterThan(2000 * 4);
  });
});

describe('abort', () => {
  it('rejects with the signal reason without waiting for a pending function', async () => {
    const controller = new AbortController();
    const t = Template.parse('t', 'a{{never}}b', { funcs });
    const pending = t.execute(null, { signal: controller.signal });
    controller.abort(new Error('stopped'));
    await expect(pending).rejects.toThrow('stopped');
  });

  it('refuses to start when already aborted', async () => {
    const t = Template.parse('t', 'x', { funcs });
    await expect(t.execute(null, { signal: AbortSignal.abort(new Error('early')) })).rejects.toThrow('early');
  });

  it('stops a long range between iterations', async () => {
    const controller = new AbortController();
    const tick: TemplateFunc = async (i) => {
      if (i === 3) controller.abort(new Error('enough'));
      return i;
    };
    const t = Template.parse('t', '{{range .}}{{tick .}}{{end}}', { funcs: { tick } });
    await expect(t.execute([1, 2, 3, 4, 5], { signal: controller.signal })).rejects.toThrow('enough');
  });
});

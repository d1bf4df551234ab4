import { describe, expect, it } from 'vitest';
import { describeHclError, normalizeHcl, parseHcl } from './hcl.js';

async function normalized(text: string): Promise<ReturnType<typeof normalizeHcl>> {
  const parsed = await parseHcl('t.hcl', text);
  if (!parsed.ok) throw new Error(parsed.problem.message);
  return normalizeHcl('t.hcl', parsed.value);
}

describe('normalizeHcl', () => {
  it('collapses single-valued blocks, merging repeats', async () => {
    const { value, problems } = await normalized('ports {\n  http = 1\n}\nports {\n  dns = 2\n}\ndns_config {\n  soa {\n    retry = 5\n  }\n}\n');
    expect(problems).toEqual([]);
    expect(value).toEqual({ ports: { http: 1, dns: 2 }, dns_config: { soa: { retry: 5 } } });
  });

  it('keeps definition lists as lists, and repeated top-level service blocks as a list', async () => {
    const { value } = await normalized(`
service {
  name = "a"
  checks {
    tcp = "x:1"
  }
  connect {
    sidecar_service {
      proxy {
        upstreams {
          destination_name = "db"
          local_bind_port  = 9191
        }
      }
    }
  }
}
service {
  name = "b"
  check {
    tcp = "y:1"
  }
  check {
    tcp = "y:2"
  }
}
`);
    expect(value).toEqual({
      service: [
        {
          name: 'a',
          checks: [{ tcp: 'x:1' }],
          connect: { sidecar_service: { proxy: { upstreams: [{ destination_name: 'db', local_bind_port: 9191 }] } } },
        },
        { name: 'b', checks: [{ tcp: 'y:1' }, { tcp: 'y:2' }] },
      ],
    });
  });

  it('refuses interpolation and unescapes $${ and %%{', async () => {
    const { value, problems } = await normalized('a = "${x}"\nb = "cost: $${n}"\nc = "%%{x}"\nd = ["ok", "${y}"]\n');
    expect(value).toEqual({ b: 'cost: ${n}', c: '%{x}', d: ['ok'] });
    expect(problems.map((p) => p.where)).toEqual(['t.hcl: a', 't.hcl: d[1]']);
  });
});

describe('describeHclError', () => {
  it('keeps the first diagnostic with its line and column', () => {
    const raw =
      'parse config: [t.hcl:3,11-12: Missing newline after argument; An argument definition must end with a newline. ' +
      't.hcl:3,2-6: Attribute redefined; The argument "http" was already set at t.hcl:2,2-6.]';
    expect(describeHclError('t.hcl', raw)).toBe(
      'syntax error at line 3, column 11: Missing newline after argument; An argument definition must end with a newline.',
    );
  });

  it('reports a parse failure through parseHcl without throwing', async () => {
    const r = await parseHcl('/tmp/x.hcl', 'a = 1\na = 2\n');
    expect(r).toEqual({
      ok: false,
      problem: { where: '/tmp/x.hcl', message: expect.stringMatching(/^syntax error at line 2, column 1: Attribute redefined/) },
    });
  });
});

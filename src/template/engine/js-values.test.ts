import { describe, expect, it } from 'vitest';
import { Template, TemplateError, type TemplateFunc, withSignature } from './index.js';

function render(text: string, data: unknown, funcs: Record<string, TemplateFunc> = {}): Promise<string> {
  return Template.parse('t', text, { funcs }).execute(data);
}

function renderError(text: string, data: unknown, funcs: Record<string, TemplateFunc> = {}): Promise<string> {
  return render(text, data, funcs).then(
    (out) => {
      throw new Error(`expected an error, got ${JSON.stringify(out)}`);
    },
    (err: unknown) => {
      expect(err).toBeInstanceOf(TemplateError);
      return (err as Error).message;
    },
  );
}

class Service {
  constructor(
    readonly Name: string,
    readonly Tags: string[],
    private readonly port: number,
  ) {}

  get Port(): number {
    return this.port;
  }

  HasTag(tag: string): boolean {
    return this.Tags.includes(tag);
  }

  Self(): Service {
    return this;
  }
}

class Named {
  toString(): string {
    return 'named!';
  }
}

describe('methods: function-valued fields are called with the arguments', () => {
  it('calls a method with arguments and with none', async () => {
    const data = { Greet: (n: string) => `hi ${n}`, Now: () => 'noon' };
    expect(await render('{{.Greet "bob"}} at {{.Now}}', data)).toBe('hi bob at noon');
  });

  it('pipes the previous value in as the last argument', async () => {
    expect(await render('{{"bob" | .Greet}}', { Greet: (n: string) => `hi ${n}` })).toBe('hi bob');
  });

  it('binds this to the object the method was read from', async () => {
    const svc = new Service('web', ['a', 'b'], 80);
    expect(await render('{{if .HasTag "b"}}{{.Name}}:{{.Port}}{{end}}', svc)).toBe('web:80');
    expect(await render('{{.Self.Self.Name}}', svc)).toBe('web');
  });

  it('reports a method that throws', async () => {
    const data = { Boom: () => { throw new Error('kaput'); } };
    expect(await renderError('{{.Boom}}', data)).toBe('template: t:1:2: executing "t" at <.Boom>: error calling Boom: kaput');
  });
});

describe('objects that are not plain are Go structs', () => {
  it('errors on a missing field instead of printing <no value>', async () => {
    expect(await renderError('{{.Adress}}', new Service('web', [], 80))).toContain("can't evaluate field Adress in type *Service");
  });

  it('does not expose Object.prototype', async () => {
    expect(await renderError('{{.constructor}}', new Service('web', [], 80))).toContain("can't evaluate field constructor");
    expect(await render('{{.constructor}}', {})).toBe('<no value>');
  });

  it('refuses arguments to a plain field', async () => {
    expect(await renderError('{{.Name 1}}', new Service('web', [], 80))).toContain('Name has arguments but cannot be invoked as function');
  });

  it('prints with toString when the class defines one, else as {values}', async () => {
    expect(await render('{{.}} {{printf "%s|%v" . .}}', new Named())).toBe('named! named!|named!');
    expect(await render('{{.}}', new Service('web', ['a'], 80))).toBe('{web [a] 80}');
  });

  it('is always true, like a Go struct', async () => {
    expect(await render('{{if .}}yes{{end}}', new Named())).toBe('yes');
  });
});

class Tags extends Array<string> {
  Contains(tag: string): boolean {
    return this.includes(tag);
  }
}

describe('collections', () => {
  it('gives list subclasses their methods, like a Go slice type', async () => {
    const tags = Tags.from(['a', 'b']) as Tags;
    expect(await render('{{if .Tags.Contains "b"}}yes{{end}} {{len .Tags}} {{.Tags}} {{range .Tags}}{{.}}{{end}}', { Tags: tags })).toBe('yes 2 [a b] ab');
    expect(await renderError('{{.Tags.push}}', { Tags: tags })).toContain("can't evaluate field push in type []interface {}");
  });

  it('ranges over a Map in key order and reads keys as fields', async () => {
    const m = new Map<string, number>([['b', 2], ['a', 1]]);
    expect(await render('{{range $k, $v := .}}{{$k}}={{$v}} {{end}}{{.a}} {{index . "b"}} {{len .}} {{.}}', m)).toBe('a=1 b=2 1 2 2 map[a:1 b:2]');
  });

  it('treats a Set as a slice', async () => {
    expect(await render('{{range .}}<{{.}}>{{end}} {{len .}} {{index . 1}} {{.}}', new Set(['x', 'y']))).toBe('<x><y> 2 y [x y]');
  });

  it('ranges over other iterables', async () => {
    function* gen(): Generator<number> {
      yield 1;
      yield 2;
    }
    expect(await render('{{range $i, $v := .}}{{$i}}:{{$v}} {{end}}', gen())).toBe('0:1 1:2 ');
  });

  it('treats an object without prototype as a map', async () => {
    const m = Object.assign(Object.create(null) as object, { k: 'v' });
    expect(await render('{{.k}} {{.}}', m)).toBe('v map[k:v]');
  });
});

describe('scalars', () => {
  it('prints bigints exactly and compares them with numbers', async () => {
    const data = { Index: 18446744073709551615n, Small: 3n };
    expect(await render('{{.Index}} {{eq .Small 3}} {{lt .Small 4}} {{range .Small}}{{.}}{{end}}', data)).toBe(
      '18446744073709551615 true true 012',
    );
  });

  it('prints a Date as Go prints a time.Time', async () => {
    expect(await render('{{.}}', new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 120)))).toBe('2024-01-02 03:04:05.12 +0000 UTC');
  });

  it('prints an Error by its message', async () => {
    expect(await render('{{.}}', new Error('went wrong'))).toBe('went wrong');
  });

  it('refuses to print a function value', async () => {
    expect(await renderError('{{call .F}}', { F: () => () => 1 })).toContain("can't print {{call .F}} of type func");
  });
});

describe('documented differences from Go', () => {
  it('has one numeric kind: an integral float equals an int', async () => {
    expect(await render('{{eq 2 2.0}} {{eq .N 1}}', { N: 1.0 })).toBe('true true');
  });

  it('formats integral numbers with float verbs', async () => {
    expect(await render('{{printf "%.2f" .N}} {{printf "%.2f" 3}}', { N: 3 })).toBe('3.00 3.00');
  });

  it('prints integral numbers as integers', async () => {
    expect(await render('{{.}}', 1e6)).toBe('1000000');
  });

  it('counts string length in UTF-8 bytes, as Go does', async () => {
    expect(await render('{{len .}} {{slice . 0 2}}', 'éa')).toBe('3 é');
  });
});

describe('call', () => {
  it('calls a function value with arguments', async () => {
    expect(await render('{{call .Add 1 2}}', { Add: (a: number, b: number) => a + b })).toBe('3');
  });

  it('calls a method value bound to its object', async () => {
    expect(await render('{{call .Svc.HasTag "a"}}', { Svc: new Service('web', ['a'], 1) })).toBe('true');
  });

  it('names the callee in errors', async () => {
    expect(await renderError('{{call .X}}', { X: 'str' })).toContain('error calling call: non-function .X of type string');
    expect(await renderError('{{call .Nope}}', {})).toContain('error calling call: call of nil');
    expect(await renderError('{{call}}', {})).toContain('wrong number of args for call: want at least 1 got 0');
  });

  it('checks a declared signature', async () => {
    const two = withSignature((a: unknown, b: unknown) => `${a}${b}`, { args: 2 });
    expect(await renderError('{{call .F 1}}', { F: two })).toContain('error calling call: wrong number of args for .F: got 1 want 2');
  });
});

describe('function signatures', () => {
  const funcs = {
    key: withSignature((k: unknown) => `value-of-${k}`, { args: 1, stringArgs: [0] }),
    join: withSignature((sep: unknown, ...parts: unknown[]) => parts.join(sep as string), { args: 1, variadic: true, stringArgs: [0] }),
  };

  it('report the wrong number of arguments as Go does', async () => {
    expect(await renderError('{{key}}', {}, funcs)).toBe('template: t:1:2: executing "t" at <key>: wrong number of args for key: want 1 got 0');
    expect(await renderError('{{key "a" "b"}}', {}, funcs)).toContain('wrong number of args for key: want 1 got 2');
    expect(await renderError('{{join}}', {}, funcs)).toContain('wrong number of args for join: want at least 1 got 0');
  });

  it('report a non-string where Go has a string parameter', async () => {
    expect(await renderError('{{key 3}}', {}, funcs)).toContain('wrong type for value; expected string; got int');
    expect(await renderError('{{key .missing}}', {}, funcs)).toContain('invalid value; expected string');
    expect(await render('{{"a" | key}} {{join "-" 1 2}}', {}, funcs)).toBe('value-of-a 1-2');
  });

  it('let user functions override builtins', async () => {
    expect(await render('{{len "abc"}}', {}, { len: () => 'mine' })).toBe('mine');
    expect(await render('{{and 0 1}}', {}, { and: () => 'mine' })).toBe('mine');
  });
});

describe('recursion', () => {
  const text =
    '{{define "r"}}{{if gt .n 0}}{{range .one}}{{with $x := 1}}{{template "r" (dec $)}}{{end}}{{end}}{{else}}done{{end}}{{end}}{{template "r" .}}';
  const dec: TemplateFunc = (d) => ({ n: (d as { n: number }).n - 1, one: [1] });
  const t = Template.parse('t', text, { funcs: { dec } });

  it('goes as deep as real recursive templates need', async () => {
    expect(await t.execute({ n: 150, one: [1] })).toBe('done');
  });

  it('stops runaway recursion with a template error, never a stack overflow', async () => {
    const err = await t.execute({ n: 1e6, one: [1] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TemplateError);
    expect((err as Error).message).toMatch(/^template: t:1:\d+: executing "r" at <.*>: exceeded maximum template depth/);
  });
});

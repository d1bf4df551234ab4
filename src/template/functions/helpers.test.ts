import { describe, expect, it } from 'vitest';
import { KeyPair } from '../deps/shapes/kv.js';
import { HealthService } from '../deps/shapes/health.js';
import { CatalogSnippet } from '../deps/shapes/catalog.js';
import { ServiceTags } from '../deps/shapes/service-tags.js';
import { RenderableTemplate } from '../runner/template.js';
import { Brain } from './brain.js';

const NOW = new Date(Date.UTC(2009, 10, 10, 23, 4, 5, 120));

async function render(text: string, env: NodeJS.ProcessEnv = {}): Promise<string> {
  const t = new RenderableTemplate({ name: 't', text }, env, () => NOW);
  return (await t.execute(new Brain())).output;
}

async function renderError(text: string): Promise<string> {
  return render(text).then(
    (out) => {
      throw new Error(`expected an error, got ${JSON.stringify(out)}`);
    },
    (err: Error) => err.message,
  );
}

type Row = [template: string, expected: string];

function table(rows: Row[]): void {
  it.each(rows)('%s', async (text, expected) => {
    expect(await render(text)).toBe(expected);
  });
}

describe('string helpers', () => {
  table([
    ['{{ "Hello" | toLower }}', 'hello'],
    ['{{ "hello" | toUpper }}', 'HELLO'],
    ['{{ "hello wORLD-x and_y" | toTitle }}', 'Hello WORLD-X And_y'],
    ['{{ "  a b \\n" | trimSpace }}', 'a b'],
    ['{{ "xxhixx" | trim "x" }}', 'hi'],
    ['{{ "web-01" | trimPrefix "web-" }}|{{ "a.conf" | trimSuffix ".conf" }}', '01|a'],
    ['{{ "a.b.c" | replaceAll "." "/" }}', 'a/b/c'],
    ['{{ range split "," "a,b,c" }}<{{ . }}>{{ end }}', '<a><b><c>'],
    ['{{ len (split "," "  ") }}', '0'],
    ['{{ split "," "a,b" | join ";" }}', 'a;b'],
    ['{{ range $k, $v := splitToMap "," "=" "a=1,b=2,c" }}{{ $k }}:{{ $v }} {{ end }}', 'a:1 b:2 '],
    ['{{ "a\\nb\\n" | indent 2 }}', '  a\n  b\n'],
  ]);

  it('refuses a non-string where Go takes a string', async () => {
    expect(await renderError('{{ 3 | toLower }}')).toContain('wrong type for value; expected string; got int');
    expect(await renderError('{{ join "," (loop 3) }}')).toContain('expected []string');
  });
});

describe('regular expressions (RE2 spelling)', () => {
  table([
    ['{{ "web-01" | regexMatch "^web-[0-9]+$" }}', 'true'],
    ['{{ "api-01" | regexMatch "^web" }}', 'false'],
    ['{{ "WEB" | regexMatch "(?i)^web$" }}', 'true'],
    ['{{ "host-1.dc1" | regexReplaceAll "^([a-z]+)-(\\\\d+)" "$2-$1" }}', '1-host.dc1'],
    ['{{ "host-1" | regexReplaceAll "(?P<name>[a-z]+)-(?P<n>\\\\d)" "${n}:${name}" }}', '1:host'],
    ['{{ "a.b" | regexReplaceAll "\\\\." "$$" }}', 'a$b'],
  ]);

  it('reports a bad pattern', async () => {
    expect(await renderError('{{ "x" | regexMatch "(" }}')).toContain('error calling regexMatch: error parsing regexp');
  });
});

describe('membership', () => {
  table([
    ['{{ split "," "a,b" | contains "b" }}', 'true'],
    ['{{ split "," "a,b" | contains "c" }}', 'false'],
    ['{{ in (split "," "a,b") "a" }} {{ in "foobar" "oba" }}', 'true true'],
    ['{{ containsAll (split "," "a,b") (split "," "a,b,c") }} {{ containsAll (split "," "a,z") (split "," "a,b") }}', 'true false'],
    ['{{ containsAny (split "," "z,b") (split "," "a,b") }} {{ containsAny (split "," "") (split "," "a") }}', 'true false'],
    ['{{ containsNone (split "," "x,y") (split "," "a,b") }} {{ containsNone (split "," "a") (split "," "a") }}', 'true false'],
    ['{{ containsNotAll (split "," "a,x") (split "," "a,b") }} {{ containsNotAll (split "," "a") (split "," "a,b") }}', 'true false'],
    ['{{ range loop 3 }}{{ . }}{{ end }} {{ range $i := loop 5 8 }}{{ $i }}{{ end }}', '012 567'],
  ]);
});

describe('parsing and encoding', () => {
  table([
    ['{{ parseBool "true" }} {{ parseBool "0" }} {{ parseBool "" }}', 'true false false'],
    ['{{ add 1 (parseInt "-42") }} {{ parseInt "" }}', '-41 0'],
    ['{{ parseInt "9223372036854775807" }}', '9223372036854775807'],
    ['{{ parseFloat "1.5e3" }} {{ parseUint "7" }}', '1500 7'],
    ['{{ with parseJSON `{"a":{"b":[1,2]}}` }}{{ index .a.b 1 }}{{ end }}', '2'],
    ['{{ "hello" | base64Encode }} {{ "aGVsbG8=" | base64Decode }}', 'aGVsbG8= hello'],
    ['{{ "hi?" | base64URLEncode }} {{ "aGk_" | base64URLDecode }}', 'aGk_ hi?'],
    ['{{ "abc" | sha256Hex }}', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    ['{{ "abc" | md5sum }}', '900150983cd24fb0d6963f7d28e17f72'],
    ['{{ toJSON (parseJSON `{"b":"<&>","a":[1,2.5,true,null]}`) }}', '{"a":[1,2.5,true,null],"b":"\\u003c\\u0026\\u003e"}'],
    ['{{ toUnescapedJSON (parseJSON `{"q":"a?b=c&d"}`) }}', '{"q":"a?b=c&d"}'],
    ['{{ toJSONPretty (parseJSON `{"b":{"c":"1"},"a":[]}`) }}', '{\n  "a": [],\n  "b": {\n    "c": "1"\n  }\n}'],
  ]);

  it('names the bad input', async () => {
    expect(await renderError('{{ parseInt "12x" }}')).toContain('parseInt: strconv.ParseInt: parsing "12x": invalid syntax');
    expect(await renderError('{{ parseBool "maybe" }}')).toContain('parseBool: strconv.ParseBool: parsing "maybe": invalid syntax');
    expect(await renderError('{{ base64Decode "aGVsbG8" }}')).toContain('base64Decode: illegal base64 data at input byte 4');
    expect(await renderError('{{ base64Decode "a!==" }}')).toContain('illegal base64 data at input byte 1');
  });
});

describe('toYAML (yaml.v2 layout)', () => {
  table([
    ['{{ toYAML (parseJSON `{"maxconns":"5","admin":{"port":"1234"},"minconns":"2"}`) }}', 'admin:\n  port: "1234"\nmaxconns: "5"\nminconns: "2"'],
    ['{{ toYAML (parseJSON `{"list":["a","b"],"empty":[],"m":{},"num":1.5,"t":true,"z":null}`) }}', 'empty: []\nlist:\n- a\n- b\nm: {}\nnum: 1.5\nt: true\nz: null'],
    ['{{ toYAML (parseJSON `[{"a":"x","b":"y"},"yes","a: b"," lead"]`) }}', '- a: x\n  b: "y"\n- "yes"\n- \'a: b\'\n- \' lead\''],
    ['{{ toYAML (parseJSON `{"text":"line1\\nline2\\n"}`) }}', 'text: |\n  line1\n  line2'],
  ]);
});

describe('math (arguments reversed for pipes)', () => {
  table([
    ['{{ add 2 3 }} {{ 5 | subtract 2 }} {{ multiply 4 3 }} {{ divide 2 10 }} {{ modulo 3 10 }}', '5 3 12 5 1'],
    ['{{ divide 2 5 }} {{ divide 2.0 5.5 }} {{ add 1.5 1 }}', '2 2.75 2.5'],
    ['{{ minimum 3 7 }} {{ maximum 3 7 }} {{ maximum 2.5 1 }}', '3 7 2.5'],
  ]);

  it('fails like Go on bad operands', async () => {
    expect(await renderError('{{ divide 0 5 }}')).toContain('error calling divide: runtime error: integer divide by zero');
    expect(await renderError('{{ add "1" 2 }}')).toContain('add: unknown type for "1" (string)');
  });
});

describe('timestamp (Go layouts, UTC)', () => {
  table([
    ['{{ timestamp }}', '2009-11-10T23:04:05Z'],
    ['{{ timestamp "unix" }}', String(Math.floor(NOW.getTime() / 1000))],
    ['{{ timestamp "2006-01-02 15:04:05.000 MST" }}', '2009-11-10 23:04:05.120 UTC'],
    ['{{ timestamp "Mon Jan _2 3:04PM .999 -0700" }}', 'Tue Nov 10 11:04PM .12 +0000'],
    ['{{ timestamp "Monday, 02-January-06 002" }}', 'Tuesday, 10-November-09 314'],
  ]);
});

describe('env and scratch', () => {
  it('reads the given environment before the process one', async () => {
    expect(await render('{{ env "WEFT_T_A" }}|{{ envOrDefault "WEFT_T_NONE" "dflt" }}|{{ or (env "WEFT_T_NONE") "x" }}', { WEFT_T_A: 'a' })).toBe('a|dflt|x');
    expect(await render('{{ mustEnv "WEFT_T_A" }}', { WEFT_T_A: 'set' })).toBe('set');
    await expect(render('{{ mustEnv "WEFT_T_NONE" }}')).rejects.toThrow('required environment variable WEFT_T_NONE is empty');
  });

  it('keeps values in the scratchpad for one execution', async () => {
    const text =
      '{{ scratch.Set "a" 1 }}{{ scratch.SetX "a" 2 }}{{ scratch.Get "a" }} {{ scratch.Key "a" }} {{ scratch.Key "b" }} ' +
      '{{ scratch.MapSet "m" "z" 1 }}{{ scratch.MapSet "m" "y" 2 }}{{ scratch.MapSetX "m" "y" 3 }}{{ scratch.MapValues "m" }}';
    expect(await render(text)).toBe('1 true false [2 1]');
  });

  it('executes a defined template with new data', async () => {
    expect(await render('{{ define "x" }}<{{ . }}>{{ end }}{{ executeTemplate "x" 42 }}{{ $v := executeTemplate "x" }}{{ $v }}')).toBe('<42><<no value>>');
  });
});

describe('sockaddr', () => {
  it('answers the interface calls from this host', async () => {
    expect(await render('{{ sockaddr "GetInterfaceIP \\"lo\\"" }}')).toBe('127.0.0.1');
    expect(await render('{{ sockaddr "GetPrivateIP" }}')).toMatch(/^(\d+\.\d+\.\d+\.\d+|[0-9a-f:]*)$/);
  });

  it('names an expression it cannot evaluate', async () => {
    expect(await renderError('{{ sockaddr "GetAllInterfaces | include \\"flags\\" \\"up\\"" }}')).toContain('unable to parse template "{{ GetAllInterfaces');
  });
});

describe('grouping data', () => {
  const pairs = [
    new KeyPair('groups/es/es1', 'es/es1', '1', 1, 1, 0, 0, ''),
    new KeyPair('groups/es/es2', 'es/es2', '2', 1, 1, 0, 0, ''),
    new KeyPair('groups/redis/a/b', 'redis/a/b', '3', 1, 1, 0, 0, ''),
    new KeyPair('groups/top', 'top', 'x', 1, 1, 0, 0, ''),
  ];
  const svc = (id: string, tags: string[], meta: Record<string, string>) =>
    new HealthService({ Node: { Node: 'n1', Address: '10.0.0.1' }, Service: { ID: id, Service: 'web', Tags: tags, Meta: meta, Port: 80 }, Checks: [] });
  const services = [svc('a', ['prod', 'v1'], { env: 'prod', shard: '2' }), svc('b', ['v1'], { env: 'dev', shard: '1' })];

  async function withData(text: string, data: unknown): Promise<string> {
    return (await new RenderableTemplate({ name: 't', text }, {}).execute(new Brain(), data)).output;
  }

  it('byKey groups pairs by their top directory', async () => {
    const out = await withData('{{ range $k, $p := byKey . }}{{ $k }}:{{ range $p }} {{ .Key }}={{ .Value }}{{ end }};{{ end }}', pairs);
    expect(out).toBe('es: es1=1 es2=2;redis: a/b=3;');
  });

  it('explode nests pairs into maps', async () => {
    expect(await withData('{{ with explode . }}{{ .es.es2 }} {{ .redis.a.b }} {{ .top }}{{ end }}', pairs)).toBe('2 3 x');
    expect(await withData('{{ explode . | toJSON }}', pairs)).toBe('{"es":{"es1":"1","es2":"2"},"redis":{"a":{"b":"3"}},"top":"x"}');
  });

  it('byTag and byMeta group services', async () => {
    expect(await withData('{{ range $t, $s := byTag . }}{{ $t }}={{ range $s }}{{ .ID }}{{ end }} {{ end }}', services)).toBe('prod=a v1=ab ');
    expect(await withData('{{ range $k, $s := byMeta "env,shard|int" . }}{{ $k }}={{ range $s }}{{ .ID }}{{ end }} {{ end }}', services)).toBe('dev_00001=b prod_00002=a ');
    const snippets = [new CatalogSnippet('web', ServiceTags.sorted(['b', 'a']))];
    expect(await withData('{{ range $t, $s := byTag . }}{{ $t }}{{ end }}', snippets)).toBe('ab');
  });

  it('exposes the Go field names and old .Tags.Contains', async () => {
    expect(await withData('{{ range . }}{{ .ID }}:{{ .Address }}:{{ .Port }}:{{ .Tags }}:{{ .Tags.Contains "prod" }}:{{ .ServiceMeta.env }}:[{{ .ServiceMeta.missing }}]:{{ .Status }} {{ end }}', services)).toBe(
      'a:10.0.0.1:80:[prod v1]:true:prod:[]:passing b:10.0.0.1:80:[v1]:false:dev:[]:passing ',
    );
  });
});

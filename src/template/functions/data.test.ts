import { describe, expect, it } from 'vitest';
import { CatalogNodeQuery, CatalogNodesQuery, CatalogServicesQuery } from '../deps/catalog.js';
import { HealthServiceQuery } from '../deps/health-service.js';
import { KvGetQuery, KvListQuery } from '../deps/kv.js';
import { KeyPair } from '../deps/shapes/kv.js';
import { RenderableTemplate } from '../runner/template.js';
import { Brain } from './brain.js';

const pair = (path: string, key: string, value: string) => new KeyPair(path, key, value, 1, 1, 0, 0, '');

async function run(text: string, brain = new Brain()) {
  const exec = await new RenderableTemplate({ name: 't', text }, {}).execute(brain);
  return { output: exec.output, used: exec.used.list().map((d) => d.key), missing: exec.missing.list().map((d) => d.key) };
}

describe('data functions before and after their data arrives', () => {
  it('key: empty and missing until the key has a value', async () => {
    expect(await run('[{{ key "app/port" }}]')).toEqual({ output: '[]', used: ['kv.block(app/port)'], missing: ['kv.block(app/port)'] });
    const brain = new Brain();
    brain.remember(new KvGetQuery('app/port', true), '8080');
    expect(await run('[{{ key "app/port" }}]', brain)).toEqual({ output: '[8080]', used: ['kv.block(app/port)'], missing: [] });
  });

  it('keyOrDefault and keyExists: a missing key is an answer, not a wait', async () => {
    const brain = new Brain();
    brain.remember(new KvGetQuery('a', false), null);
    brain.remember(new KvGetQuery('b', false), '');
    brain.remember(new KvGetQuery('c', false), 'set');
    expect(await run('{{ keyOrDefault "a" "d1" }} {{ keyOrDefault "b" "d2" }} {{ keyOrDefault "c" "d3" }} {{ keyExists "a" }} {{ keyExists "c" }}', brain)).toEqual({
      output: 'd1 d2 set false true',
      used: ['kv.get(a)', 'kv.get(b)', 'kv.get(c)'],
      missing: [],
    });
  });

  it('ls lists top-level keys, tree every key; the safe forms hold back on an empty prefix', async () => {
    const brain = new Brain();
    brain.remember(new KvListQuery('cfg'), [pair('cfg/a', 'a', '1'), pair('cfg/sub/', 'sub/', ''), pair('cfg/sub/b', 'sub/b', '2')]);
    brain.remember(new KvListQuery('empty'), []);
    const ls = await run('{{ range ls "cfg" }}{{ .Key }}={{ .Value }} {{ end }}|{{ range tree "cfg" }}{{ .Key }}={{ .Value }} {{ end }}|{{ len (ls "empty") }}', brain);
    expect(ls).toEqual({ output: 'a=1 |a=1 sub/b=2 |0', used: ['kv.list(cfg)', 'kv.list(empty)'], missing: [] });
    expect((await run('{{ len (safeLs "empty") }}{{ len (safeTree "empty") }}', brain)).missing).toEqual(['kv.list(empty)']);
    expect((await run('{{ len (safeTree "cfg") }}', brain)).missing).toEqual([]);
  });

  it('service names its query the way consul-template does', async () => {
    const r = await run('{{ service "web" }}{{ service "prod.web@dc2" }}{{ service "web" "any" }}{{ service "web|warning,passing" }}{{ connect "db" }}');
    expect(r.used).toEqual([
      'health.service(web|passing)',
      'health.service(prod.web@dc2|passing)',
      'health.service(web|any)',
      'health.service(web|passing,warning)',
      'health.connect(db|passing)',
    ]);
    expect(r.output).toBe('[][][][][]');
  });

  it('services, nodes, node, datacenters, caRoots, caLeaf, file', async () => {
    const r = await run('{{ services }}{{ services "@dc2" }}{{ nodes }}{{ node }}{{ node "n1@dc2" }}{{ datacenters }}{{ caRoots }}{{ caLeaf "web" }}{{ file "/etc/hostname" }}');
    expect(r.used).toEqual([
      'catalog.services',
      'catalog.services(@dc2)',
      'catalog.nodes',
      'catalog.node',
      'catalog.node(n1@dc2)',
      'catalog.datacenters',
      'connect.caroots',
      'connect.caleaf(web)',
      'file(/etc/hostname)',
    ]);
    expect(r.missing).toEqual(r.used);
  });

  it('rejects a malformed argument with consul-template\'s message', async () => {
    await expect(run('{{ service "web|bogus" }}')).rejects.toThrow('error calling service: health.service: invalid filter: "bogus" in "web|bogus"');
    await expect(run('{{ service "a b" }}')).rejects.toThrow('health.service: invalid format: "a b"');
    await expect(run('{{ key "k?color=red" }}')).rejects.toThrow('kv.get: invalid query parameter key "color"');
    await expect(run('{{ key }}')).rejects.toThrow('wrong number of args for key: want 1 got 0');
  });

  it('an unknown function fails when parsing, naming it', () => {
    expect(() => new RenderableTemplate({ name: 'nginx.ctmpl', text: 'a\n{{ servcie "web" }}' }, {})).toThrow('template: nginx.ctmpl:2: function "servcie" not defined');
    expect(() => new RenderableTemplate({ name: 'x', text: '{{ secret "a" }}' }, {})).toThrow('function "secret" not defined');
  });
});

describe('dependency argument grammar', () => {
  it('splits tag, name, scope, datacenter, near and filter', () => {
    expect(new HealthServiceQuery('v1.2.web?ns=team@east-1~_agent|critical,any', false).key).toBe('health.service(v1.2.web@east-1@ns=team~_agent|any,critical)');
    expect(new KvGetQuery('/leading/slash@dc1', true).key).toBe('kv.block(leading/slash@dc1)');
    expect(new CatalogNodesQuery('@dc1~node1').key).toBe('catalog.nodes(@dc1~node1)');
    expect(new CatalogServicesQuery('?partition=p').key).toBe('catalog.services(@partition=p)');
    expect(new CatalogNodeQuery('').key).toBe('catalog.node');
  });
});

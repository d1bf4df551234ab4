import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDir, runWeft, startAgent, stopAllAgents, tempDir, type TestAgent } from './harness.js';
import { createSession, registerNode } from './session-fixtures.js';

let agent: TestAgent;
const dir = tempDir();
beforeAll(async () => {
  agent = await startAgent({ args: ['-dev', '-node', 'kvcli-node'] });
  await registerNode(agent.client, 'kvcli-node');
});
afterAll(async () => {
  await stopAllAgents();
  removeDir(dir);
});

const weft = (args: string[], input?: string) => runWeft(args, { env: { CONSUL_HTTP_ADDR: agent.address }, input });

describe('weft kv', () => {
  it('puts from an argument, a file, stdin and base64, and gets them back', async () => {
    expect(await weft(['kv', 'put', 'cfg/literal', 'hello world'])).toMatchObject({ code: 0, stdout: 'Success! Data written to: cfg/literal\n' });
    const file = join(dir, 'value.txt');
    writeFileSync(file, 'from a file');
    expect((await weft(['kv', 'put', 'cfg/file', `@${file}`])).code).toBe(0);
    expect((await weft(['kv', 'put', 'cfg/stdin', '-'], 'from stdin')).code).toBe(0);
    expect((await weft(['kv', 'put', '-base64', 'cfg/b64', Buffer.from('decoded').toString('base64')])).code).toBe(0);
    expect((await weft(['kv', 'put', 'cfg/empty'])).code).toBe(0);
    expect((await weft(['kv', 'get', 'cfg/literal'])).stdout).toBe('hello world\n');
    expect((await weft(['kv', 'get', 'cfg/file'])).stdout).toBe('from a file\n');
    expect((await weft(['kv', 'get', 'cfg/stdin'])).stdout).toBe('from stdin\n');
    expect((await weft(['kv', 'get', '/cfg/b64'])).stdout).toBe('decoded\n');
    expect((await weft(['kv', 'get', '-base64', 'cfg/b64'])).stdout).toBe(`${Buffer.from('decoded').toString('base64')}\n`);
    expect((await weft(['kv', 'get', 'cfg/empty'])).stdout).toBe('\n');
  });

  it('lists with -recurse, -keys and -separator, and shows -detailed like consul', async () => {
    await weft(['kv', 'put', '-flags=42', 'tree/a/1', 'x']);
    await weft(['kv', 'put', 'tree/a/2', 'y']);
    await weft(['kv', 'put', 'tree/b', 'z']);
    expect((await weft(['kv', 'get', '-recurse', 'tree/'])).stdout).toBe('tree/a/1:x\ntree/a/2:y\ntree/b:z\n');
    expect((await weft(['kv', 'get', '-keys', 'tree/'])).stdout).toBe('tree/a/\ntree/b\n');
    expect((await weft(['kv', 'get', '-keys', '-separator=', 'tree/'])).stdout).toBe('tree/a/1\ntree/a/2\ntree/b\n');
    const detailed = (await weft(['kv', 'get', '-detailed', 'tree/a/1'])).stdout;
    const index = /ModifyIndex +(\d+)/.exec(detailed)![1];
    expect(detailed).toBe(
      `CreateIndex      ${index}\nFlags            42\nKey              tree/a/1\nLockIndex        0\nModifyIndex      ${index}\nSession          -\nValue            x\n`,
    );
    const both = (await weft(['kv', 'get', '-recurse', '-detailed', 'tree/a/'])).stdout;
    expect(both.split('\n\n')).toHaveLength(2);
  });

  it('checks-and-sets, deletes, and deletes recursively', async () => {
    await weft(['kv', 'put', 'cas/k', 'v1']);
    const index = /ModifyIndex +(\d+)/.exec((await weft(['kv', 'get', '-detailed', 'cas/k'])).stdout)![1];
    expect(await weft(['kv', 'put', '-cas', `-modify-index=${Number(index) + 1}`, 'cas/k', 'v2'])).toMatchObject({ code: 1, stderr: 'Error! Did not write to cas/k: CAS failed\n' });
    expect((await weft(['kv', 'put', '-cas', `-modify-index=${index}`, 'cas/k', 'v2'])).code).toBe(0);
    expect(await weft(['kv', 'put', '-cas', 'cas/k', 'v3'])).toMatchObject({ code: 1, stderr: 'Must specify -modify-index with -cas!\n' });
    expect(await weft(['kv', 'delete', 'cas/k'])).toMatchObject({ code: 0, stdout: 'Success! Deleted key: cas/k\n' });
    expect(await weft(['kv', 'get', 'cas/k'])).toMatchObject({ code: 1, stderr: 'Error! No key exists at: cas/k\n' });
    await weft(['kv', 'put', 'gone/a', '1']);
    await weft(['kv', 'put', 'gone/b', '2']);
    expect((await weft(['kv', 'delete', '-recurse', 'gone/'])).stdout).toBe('Success! Deleted keys with prefix: gone/\n');
    expect((await weft(['kv', 'get', '-recurse', 'gone/'])).stdout).toBe('');
    expect(await weft(['kv', 'delete', '-recurse', '-cas', '-modify-index=3', 'x'])).toMatchObject({ code: 1, stderr: 'Cannot specify both -cas and -recurse!\n' });
  });

  it('acquires and releases locks with a session', async () => {
    const session = await createSession(agent.client);
    expect(await weft(['kv', 'put', '-acquire', `-session=${session}`, 'lock/k', 'mine'])).toMatchObject({ code: 0, stdout: 'Success! Lock acquired on: lock/k\n' });
    expect((await weft(['kv', 'get', '-detailed', 'lock/k'])).stdout).toMatch(new RegExp(`\nSession +${session}\n`));
    expect(await weft(['kv', 'put', '-release', `-session=${session}`, 'lock/k'])).toMatchObject({ code: 0, stdout: 'Success! Lock released on: lock/k\n' });
    expect(await weft(['kv', 'put', '-acquire', 'lock/k'])).toMatchObject({ code: 1, stderr: 'Error! Missing -session (required with -acquire and -release)\n' });
    const bad = await weft(['kv', 'put', '-acquire', '-session=nope', 'lock/k']);
    expect(bad).toMatchObject({ code: 1, stderr: 'Error! Failed writing data: Unexpected response code: 500 (invalid session "nope")\n' });
  });

  it('exports and imports trees, keeping flags and values exact', async () => {
    await weft(['kv', 'put', '-flags=3304740253564472344', 'exp/big', 'lock-ish']);
    await weft(['kv', 'put', 'exp/dir/', '']);
    const exported = await weft(['kv', 'export', 'exp/']);
    expect(exported.stdout).toBe(
      '[\n\t{\n\t\t"key": "exp/big",\n\t\t"flags": 3304740253564472344,\n\t\t"value": "bG9jay1pc2g="\n\t},\n\t{\n\t\t"key": "exp/dir/",\n\t\t"flags": 0,\n\t\t"value": ""\n\t}\n]\n',
    );
    const imported = await weft(['kv', 'import', '-prefix=copy', '-'], exported.stdout);
    expect(imported.stdout).toBe('Imported: copy/exp/big\nImported: copy/exp/dir/\n');
    expect((await weft(['kv', 'get', '-detailed', 'copy/exp/big'])).stdout).toMatch(/\nFlags +3304740253564472344\n/);
    expect(await weft(['kv', 'import', '[{'])).toMatchObject({ code: 1 });
    expect((await weft(['kv', 'import', '[{"key":"x","value":"%%%"}]'])).stderr).toBe('Error base 64 decoding value for key x: illegal base64 data\n');
  });

  it('refuses bad arguments as consul does', async () => {
    expect(await weft(['kv', 'put', '/abs', 'x'])).toMatchObject({ code: 1, stderr: "Error! Failed writing data: Invalid key. Key must not begin with a '/': /abs\n" });
    expect(await weft(['kv', 'put'])).toMatchObject({ code: 1, stderr: 'Error! Missing KEY argument\n' });
    expect(await weft(['kv', 'get'])).toMatchObject({ code: 1, stderr: 'Error! Missing KEY argument\n' });
    expect(await weft(['kv', 'get', 'a', 'b'])).toMatchObject({ code: 1, stderr: 'Too many arguments (expected 1, got 2)\n' });
    expect((await weft(['kv', 'put', '-flags=x', 'k'])).code).toBe(1);
    for (const sub of ['get', 'put', 'delete', 'export', 'import']) expect((await weft(['kv', sub, '-h'])).stdout).toMatch(new RegExp(`^Usage: weft kv ${sub}`));
  });
});

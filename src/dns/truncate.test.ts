import { describe, expect, it } from 'vitest';
import { MemoryDiscovery } from './memory-discovery.js';
import { ask, instance, node, testConfig, testRouter, type TestReply } from './test-kit.js';

function many(count: number, meta: Record<string, string> = {}): MemoryDiscovery {
  const d = new MemoryDiscovery();
  for (let i = 0; i < count; i++) d.addInstance(instance(node(`node-${i}`, `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, meta), 'web', { port: 1000 + i }));
  return d;
}

const size = (p: TestReply) => p.wireLength;

describe('truncation', () => {
  it('answers at most udp_answer_limit (3) records over UDP without EDNS0, silently by default', async () => {
    const res = await ask(testRouter(many(20)), 'web.service.consul', 'A');
    expect(res.answers).toHaveLength(3);
    expect(res.flag_tc).toBe(false);
  });

  it('sets TC when enable_truncate is on, and never exceeds the hard cap of 8', async () => {
    const res = await ask(testRouter(many(20), testConfig({ enableTruncate: true, udpAnswerLimit: 50 })), 'web.service.consul', 'A');
    expect(res.answers).toHaveLength(8);
    expect(res.flag_tc).toBe(true);
    const fits = await ask(testRouter(many(3), testConfig({ enableTruncate: true })), 'web.service.consul', 'A');
    expect(fits.flag_tc).toBe(false);
  });

  it('keeps only the SRV targets the remaining answers point at in the additional section', async () => {
    const res = await ask(testRouter(many(20, { rack: 'r1' })), 'web.service.consul', 'SRV');
    expect(res.answers).toHaveLength(3);
    const targets = res.answers!.map((a) => (a as { data: { target: string } }).data.target).sort();
    expect(res.additionals!.map((a) => a.name).sort()).toEqual(targets);
    expect(res.additionals!.every((a) => a.type === 'A')).toBe(true);
  });

  it('fills the EDNS0 buffer size instead of the answer limit, and echoes the OPT record', async () => {
    const all = await ask(testRouter(many(20)), 'web.service.consul', 'A', { edns: 4096 });
    expect(all.answers).toHaveLength(20);
    expect(all.additionals!.find((a) => a.type === 'OPT')).toMatchObject({ udpPayloadSize: 4096 });
    const res = await ask(testRouter(many(200), testConfig({ enableTruncate: true })), 'web.service.consul', 'A', { edns: 1232 });
    expect(res.flag_tc).toBe(true);
    expect(res.answers!.length).toBeGreaterThan(20);
    expect(size(res)).toBeLessThanOrEqual(1232);
  });

  it('compresses names so more answers fit, unless disable_compression', async () => {
    const packed = await ask(testRouter(many(200)), 'web.service.consul', 'A', { edns: 1232 });
    const plain = await ask(testRouter(many(200), testConfig({ disableCompression: true })), 'web.service.consul', 'A', { edns: 1232 });
    expect(packed.answers!.length).toBeGreaterThan(plain.answers!.length);
    expect(Math.max(size(packed), size(plain))).toBeLessThanOrEqual(1232);
  });

  it('answers everything over TCP up to 64 KiB', async () => {
    expect((await ask(testRouter(many(200)), 'web.service.consul', 'A', { transport: 'tcp' })).answers).toHaveLength(200);
    const big = await ask(testRouter(many(3000), testConfig({ enableTruncate: true })), 'web.service.consul', 'SRV', { transport: 'tcp' });
    expect(big.flag_tc).toBe(true);
    expect(big.answers!.length).toBeGreaterThan(400);
    expect(big.answers!.length).toBeLessThanOrEqual(1024);
    expect(size(big)).toBeLessThanOrEqual(65535);
  });

  it('still sends a single answer that alone exceeds 512 bytes', async () => {
    const d = new MemoryDiscovery();
    d.addNode(node('fat', '10.0.0.1', { big: 'x'.repeat(600) }));
    const res = await ask(testRouter(d), 'fat.node.consul', 'TXT');
    expect(res.answers).toHaveLength(1);
    expect(size(res)).toBeGreaterThan(512);
  });
});

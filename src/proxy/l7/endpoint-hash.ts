/**
 * xxHash32 (Yann Collet's XXH32, bit-exact with `xxhsum -H0`) of a string's UTF-8 bytes: the
 * hash behind consistent load balancing (ring positions, maglev permutations, hash policies).
 * Envoy uses xxHash64 for the same jobs; 32 bits keep every step in V8's fast integer path
 * and are plenty for rings of at most a few million entries.
 */

const P1 = 0x9e3779b1;
const P2 = 0x85ebca77;
const P3 = 0xc2b2ae3d;
const P4 = 0x27d4eb2f;
const P5 = 0x165667b1;

const rotl = (x: number, r: number): number => (x << r) | (x >>> (32 - r));

const encoder = new TextEncoder();

const lane = (b: Uint8Array, i: number): number => b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24);

/** XXH32 of `len` bytes of `b`, as an unsigned 32-bit integer. */
export function xxh32Bytes(b: Uint8Array, len: number = b.length, seed = 0): number {
  let i = 0;
  let h: number;
  if (len >= 16) {
    let v1 = (seed + P1 + P2) | 0;
    let v2 = (seed + P2) | 0;
    let v3 = seed | 0;
    let v4 = (seed - P1) | 0;
    const limit = len - 16;
    while (i <= limit) {
      v1 = Math.imul(rotl((v1 + Math.imul(lane(b, i), P2)) | 0, 13), P1);
      v2 = Math.imul(rotl((v2 + Math.imul(lane(b, i + 4), P2)) | 0, 13), P1);
      v3 = Math.imul(rotl((v3 + Math.imul(lane(b, i + 8), P2)) | 0, 13), P1);
      v4 = Math.imul(rotl((v4 + Math.imul(lane(b, i + 12), P2)) | 0, 13), P1);
      i += 16;
    }
    h = (rotl(v1, 1) + rotl(v2, 7) + rotl(v3, 12) + rotl(v4, 18)) | 0;
  } else {
    h = (seed + P5) | 0;
  }
  h = (h + len) | 0;
  while (i + 4 <= len) {
    h = Math.imul(rotl((h + Math.imul(lane(b, i), P3)) | 0, 17), P4);
    i += 4;
  }
  while (i < len) {
    h = Math.imul(rotl((h + Math.imul(b[i], P5)) | 0, 11), P1);
    i++;
  }
  return avalanche(h);
}

/** Room for the UTF-8 of the strings hashed per request (header values, cookies, addresses). */
const scratch = new Uint8Array(1024);

/**
 * XXH32 of the UTF-8 encoding of `s`, as an unsigned 32-bit integer. Short strings are
 * encoded into one reused buffer, so hashing a request allocates nothing.
 */
export function xxh32(s: string, seed = 0): number {
  if (s.length * 3 <= scratch.length) return xxh32Bytes(scratch, encoder.encodeInto(s, scratch).written, seed);
  return xxh32Bytes(encoder.encode(s), undefined, seed);
}

function avalanche(h: number): number {
  h ^= h >>> 15;
  h = Math.imul(h, P2);
  h ^= h >>> 13;
  h = Math.imul(h, P3);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Folds `next` into an accumulated hash as Envoy combines hash policies: the old value is
 * rotated one bit first, so two policies yielding the same value do not cancel out.
 */
export function combineHash(acc: number | undefined, next: number): number {
  if (acc === undefined) return next >>> 0;
  return (rotl(acc, 1) ^ next) >>> 0;
}

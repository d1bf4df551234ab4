/**
 * The two messages of grpc.health.v1, hand-encoded (one string field out, one enum field back),
 * and gRPC's length-prefixed message framing. Small enough that a protobuf library would be
 * more code than it saves.
 */

export const HEALTH_CHECK_PATH = '/grpc.health.v1.Health/Check';

/** grpc.health.v1.HealthCheckResponse.ServingStatus names, by number. */
export const SERVING_STATUS = ['UNKNOWN', 'SERVING', 'NOT_SERVING', 'SERVICE_UNKNOWN'];

/** gRPC status code names as Go's `codes.Code.String()` prints them. */
export const GRPC_CODES = [
  'OK', 'Canceled', 'Unknown', 'InvalidArgument', 'DeadlineExceeded', 'NotFound', 'AlreadyExists',
  'PermissionDenied', 'ResourceExhausted', 'FailedPrecondition', 'Aborted', 'OutOfRange',
  'Unimplemented', 'Internal', 'Unavailable', 'DataLoss', 'Unauthenticated',
];

function varint(n: number): number[] {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  return out;
}

/** A framed HealthCheckRequest{service}: 1 byte "not compressed", 4 bytes length, the message. */
export function encodeHealthCheckRequest(service: string): Buffer {
  const name = Buffer.from(service, 'utf8');
  const msg = name.length === 0 ? Buffer.alloc(0) : Buffer.concat([Buffer.from([0x0a, ...varint(name.length)]), name]);
  const head = Buffer.alloc(5);
  head.writeUInt32BE(msg.length, 1);
  return Buffer.concat([head, msg]);
}

/** The serving status in a framed HealthCheckResponse; 0 (UNKNOWN) when the field is absent. Throws on a malformed frame. */
export function decodeHealthCheckResponse(frame: Buffer): number {
  if (frame.length < 5) throw new Error('grpc: response message is missing');
  if (frame[0] !== 0) throw new Error('grpc: compressed response messages are not supported');
  const len = frame.readUInt32BE(1);
  const msg = frame.subarray(5, 5 + len);
  if (msg.length !== len) throw new Error('grpc: response message is truncated');
  let status = 0;
  let i = 0;
  const readVarint = (): number => {
    let v = 0;
    let shift = 0;
    for (;;) {
      if (i >= msg.length) throw new Error('proto: truncated varint');
      const b = msg[i++];
      v += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return v;
      shift += 7;
    }
  };
  while (i < msg.length) {
    const key = readVarint();
    const field = Math.floor(key / 8);
    const wire = key & 7;
    if (wire === 0) {
      const v = readVarint();
      if (field === 1) status = v;
    } else if (wire === 2) i += readVarint();
    else if (wire === 1) i += 8;
    else if (wire === 5) i += 4;
    else throw new Error(`proto: unsupported wire type ${wire}`);
  }
  return status;
}

// The floor of a DNS server on Node.js: a dgram socket that answers every question with
// three A records and does nothing else (no decoding, no lookup). What Weft's DNS costs
// above this is Weft; what this costs is Node's per-datagram receive and send.
//   node bench/dns-floor-server.js PORT
import { createSocket } from 'node:dgram';

const port = Number(process.argv[2]);
const RECORD = Buffer.from('c00c000100010000000000040a000001', 'hex');
const socket = createSocket({ type: 'udp4', recvBufferSize: 4 << 20, sendBufferSize: 4 << 20 });

socket.on('message', (msg, rinfo) => {
  if (msg.length < 17) return;
  let end = 12;
  while (end < msg.length && msg[end] !== 0) end += msg[end] + 1;
  end += 5;
  const out = Buffer.allocUnsafe(end + RECORD.length * 3);
  msg.copy(out, 0, 0, end);
  out[2] = 0x84 | (msg[2] & 0x01);
  out[3] = 0;
  out.writeUInt16BE(3, 6);
  out.fill(0, 8, 12);
  for (let i = 0; i < 3; i++) RECORD.copy(out, end + i * RECORD.length);
  socket.send(out, rinfo.port, rinfo.address);
});
socket.bind(port, '127.0.0.1', () => process.stdout.write('ready\n'));
process.on('SIGTERM', () => process.exit(0));

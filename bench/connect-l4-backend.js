// The app behind the sidecars in bench/connect-l4.js: one TCP port, two behaviours chosen by
// the first byte a connection sends. 'B' (bulk): read everything until the client half-closes,
// then answer the byte count and close. 'E' (echo): send back every byte after the first.
//
//   node bench/connect-l4-backend.js PORT
import { createServer } from 'node:net';

const port = Number(process.argv[2]);
createServer({ allowHalfOpen: true, noDelay: true }, (s) => {
  s.on('error', () => s.destroy());
  let mode = '';
  let count = 0;
  s.on('data', (chunk) => {
    if (!mode) {
      mode = String.fromCharCode(chunk[0]);
      chunk = chunk.subarray(1);
    }
    if (mode === 'B') count += chunk.length;
    else if (chunk.length) s.write(chunk);
  });
  s.on('end', () => s.end(mode === 'B' ? `${count}\n` : undefined));
}).listen(port, '127.0.0.1', () => console.log(`backend listening on ${port}`));

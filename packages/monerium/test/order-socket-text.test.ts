import test from 'ava';
import { textOf } from '../src/order-socket.js';

const json = '{"id":"ö-1","state":"processed"}';

test('a single-frame message (a Buffer) is decoded in place, with no Buffer.from copy', (t) => {
  const frame = Buffer.from(json, 'utf8');
  const from = Buffer.from;
  let copies = 0;
  Buffer.from = ((...args: Parameters<typeof Buffer.from>) => {
    copies += 1;
    return from(...(args as [string]));
  }) as typeof Buffer.from;
  try {
    t.is(textOf(frame), json);
  } finally {
    Buffer.from = from;
  }
  t.is(copies, 0);
});

test('a fragmented message (Buffer[]) joins its fragments, even inside a multi-byte character', (t) => {
  const whole = Buffer.from(json, 'utf8');
  const split = json.indexOf('ö') + 1; // between the two bytes of ö
  t.is(textOf([whole.subarray(0, split), whole.subarray(split)]), json);
});

test('an ArrayBuffer message is decoded too', (t) => {
  const bytes = new TextEncoder().encode(json);
  t.is(textOf(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)), json);
});

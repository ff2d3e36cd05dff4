// A CommonJS TypeScript module (what `npm init -y`'s "type": "commonjs" gives) under
// module NodeNext: it compiles to require() calls of the ESM packages.
import { createRegistry, parseAmount } from '@paygate/core';
import { adapter as moneyButton } from '@paygate/moneybutton';

const amount = parseAmount('10.50', { currency: 'EUR' });
const built = createRegistry([moneyButton]).create({ provider: 'nobody' });
console.log(JSON.stringify({ amount: amount._tag === 'Right' ? amount.right : null, registry: built._tag }));

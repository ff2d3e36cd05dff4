import test from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts/lib/index.js';
import { decodeAt, documentCodec, indexIncluded, resolveIncluded, resourceCodec, toManyLinkage } from '../src/jsonapi.js';

const Output = resourceCodec('payment-outputs', t.type({ to: t.string, satoshis: t.string }));
const Payment = documentCodec(resourceCodec('payments', t.type({ status: t.string })));

const document = {
  data: {
    type: 'payments',
    id: '1',
    attributes: { status: 'COMPLETED' },
    relationships: { 'payment-outputs': { data: [{ type: 'payment-outputs', id: '1-2' }, { type: 'payment-outputs', id: '1-1' }] } },
  },
  included: [
    { type: 'payment-outputs', id: '1-1', attributes: { to: 'bob@moneybutton.com', satoshis: '100' } },
    { type: 'payment-outputs', id: '1-2', attributes: { to: 'fees@relayx.example', satoshis: '5' } },
  ],
};

test('linked resources are joined from included in linkage order and decoded with their codec', (test_) => {
  const decoded = Payment.decode(document);
  if (E.isLeft(decoded)) return test_.fail('the document decodes');
  const linkage = toManyLinkage(decoded.right.data.relationships, 'payment-outputs', 'data');
  const outputs = E.flatMap((ids: Parameters<typeof resolveIncluded>[1]) =>
    resolveIncluded(indexIncluded(decoded.right.included), ids, Output, 'data.relationships.payment-outputs'),
  )(linkage);
  test_.deepEqual(
    E.map((list: ReadonlyArray<t.TypeOf<typeof Output>>) => list.map((o) => o.id))(outputs),
    E.right(['1-2', '1-1']),
  );
});

test('a resource linked but missing from included is a DecodeError naming the relationship', (test_) => {
  const index = indexIncluded([]);
  const result = resolveIncluded(index, [{ type: 'payment-outputs', id: '9' }], Output, 'data.0.relationships.payment-outputs');
  test_.like(result, { _tag: 'Left', left: { _tag: 'DecodeError', provider: 'moneybutton', path: 'data.0.relationships.payment-outputs' } });
});

test('an included resource of the wrong shape is a DecodeError at its place in included', (test_) => {
  const index = indexIncluded([{ type: 'payment-outputs', id: '1', attributes: { to: 'x', satoshis: 5 } }]);
  const result = resolveIncluded(index, [{ type: 'payment-outputs', id: '1' }], Output, 'data');
  test_.like(result, { _tag: 'Left', left: { _tag: 'DecodeError', path: 'included.0.attributes.satoshis' } });
  if (E.isLeft(result) && result.left._tag === 'DecodeError') test_.regex(result.left.errors[0] ?? '', /^included\.0\.attributes\.satoshis: expected string/);
});

test('a to-one linkage where a to-many is expected is a DecodeError; an absent relationship links nothing', (test_) => {
  test_.like(toManyLinkage({ 'payment-outputs': { data: { type: 'payment-outputs', id: '1' } } }, 'payment-outputs', 'data'), {
    _tag: 'Left',
    left: { _tag: 'DecodeError', path: 'data.relationships.payment-outputs.data' },
  });
  test_.deepEqual(toManyLinkage(undefined, 'payment-outputs', 'data'), E.right([]));
  test_.deepEqual(toManyLinkage({ 'payment-outputs': { links: { related: '/x' } } }, 'payment-outputs', 'data'), E.right([]));
});

test('a resource of another type does not decode as the expected one', (test_) => {
  test_.like(decodeAt(Payment, '')({ data: { type: 'profiles', id: '1', attributes: { status: 'x' } } }), {
    _tag: 'Left',
    left: { _tag: 'DecodeError', path: 'data.type' },
  });
});

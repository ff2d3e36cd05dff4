import test, { type ExecutionContext } from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { privateKeyToAccount } from 'viem/accounts';
import type { GatewayError } from '@paygate/core';
import { type MoneriumV2Client, moneriumV2Gateway, signerFromViemAccount, v2 } from '../src/index.js';
import { startV2Server, type V2Server, v2Client } from './_v2-server.js';

/**
 * Every argument of every v2 function, and every field of its argument objects, is checked
 * before anything is sent: a wrong runtime type is `InvalidInput` naming that exact field (not
 * the generic `arguments` of the last-line net), and the server sees no request. Each table row
 * replaces one value of a call that is otherwise valid; the valid call itself is sent last, so a
 * row cannot pass because something else in the call was wrong.
 */

const signer = signerFromViemAccount(privateKeyToAccount('0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d'));
const ADDRESS = signer.address;
const OTHER = '0x59cFC5Cd3a3bEfE25Fa5e1E6F1D2dB3b50C0DeA1';
const PROFILE = '9f1b6a38-0000-4000-8000-000000000001';
const ID = '0b8a3c1e-1111-4222-8333-444455556666';
const IBAN = 'EE38 2200 2210 2014 5685';
const SIGNATURE = `0x${'ab'.repeat(65)}`;
const AT = new Date('2024-07-12T12:02:49.948Z');

/** `JSON.parse` keeps `__proto__` as an own key: an object where a string, number or list belongs. */
const PROTO = JSON.parse('{"__proto__":{"polluted":true},"constructor":{"prototype":{}}}') as unknown;
const HUGE = 'x'.repeat(70_000);

const WRONG: ReadonlyArray<readonly [string, unknown]> = [
  ['null', null],
  ['a number', 42],
  ['NaN', Number.NaN],
  ["'..'", '..'],
  ["''", ''],
  ['a 70,000-character string', HUGE],
  ['a __proto__ object', PROTO],
];

/** Which wrong values a row skips because they are valid there (`'..'` is a valid name, any object a valid form answer). */
type Skip = ReadonlyArray<'..' | 'proto' | 'number' | 'empty' | 'huge'>;

/**
 * `[field the error must name, path of the value in the argument list, skips, field named for a
 * __proto__ object]`: where an object belongs, a `__proto__` object is an object, so the error
 * names the first field it lacks.
 */
type Row = readonly [field: string, path: string, skip?: Skip, protoField?: string];

interface Case {
  readonly name: string;
  readonly args: ReadonlyArray<unknown>;
  readonly rows: ReadonlyArray<Row>;
}

const TEXT: Skip = ['..'];
const RECORD: Skip = ['proto'];
const NUMBER: Skip = ['number'];
/** A callback may be relative (a request's path and query): `''` and `'..'` are callbacks without a code, an `AuthError`. */
const RELATIVE: Skip = ['..', 'empty'];
/** A stored state is compared, not parsed: any other string is a `state_mismatch` AuthError, checked before anything is sent. */
const COMPARED: Skip = ['..', 'huge'];

/** A copy of `value` with the member at `path` (`1.counterpart.iban`) replaced. */
const replaced = (value: unknown, path: ReadonlyArray<string>, next: unknown): unknown => {
  const [head, ...rest] = path;
  if (head === undefined) return next;
  if (Array.isArray(value)) {
    const copy = [...value];
    copy[Number(head)] = replaced(copy[Number(head)], rest, next);
    return copy;
  }
  const record = value as Record<string, unknown>;
  return { ...record, [head]: replaced(record[head], rest, next) };
};

type Call = (...args: never[]) => TE.TaskEither<GatewayError, unknown>;

const runTable = async (t: ExecutionContext, call: Call, cases: ReadonlyArray<Case>, requests: () => number) => {
  for (const { name, args, rows } of cases) {
    for (const [field, path, skip = [], protoField = field] of rows) {
      for (const [label, value] of WRONG) {
        if ((label === "'..'" && skip.includes('..')) || (value === PROTO && skip.includes('proto')) || (value === 42 && skip.includes('number')) || (value === '' && skip.includes('empty')) || (value === HUGE && skip.includes('huge'))) continue;
        const given = replaced(args, path.split('.'), value) as never[];
        const result = await call(name as never, ...given)();
        t.true(E.isLeft(result), `${name}: ${path} = ${label} must be refused`);
        if (E.isLeft(result)) t.like(result.left, { _tag: 'InvalidInput', field: value === PROTO ? protoField : field }, `${name}: ${path} = ${label}`);
      }
    }
  }
  t.is(requests(), 0, 'nothing was sent for a wrong value');
  // The calls themselves are valid: each is sent (or, sending nothing, succeeds) once its values are right.
  for (const { name, args } of cases) {
    const before = requests();
    const result = await call(name as never, ...(args as never[]))();
    t.true(requests() > before || E.isRight(result), `${name} with valid arguments is accepted`);
  }
};

/** Calls a client method by name against the test server. */
const onClient = (t: ExecutionContext, server: V2Server) => {
  const client = v2Client(server, { now: () => AT.getTime() });
  return (name: keyof MoneriumV2Client, ...args: never[]) => {
    const method = client[name] as unknown as (...a: never[]) => TE.TaskEither<GatewayError, unknown>;
    t.is(typeof method, 'function', name);
    return method(...args);
  };
};

const clientTable = async (t: ExecutionContext, cases: ReadonlyArray<Case>) => {
  const server = await startV2Server(t);
  await runTable(t, onClient(t, server) as Call, cases, () => server.seen.length);
};

test('profiles and onboarding: each wrong field is named, nothing is sent', async (t) => {
  const person = {
    firstName: 'Ada',
    lastName: 'Lovelace',
    address: 'Main Street 1',
    postalCode: '10115',
    city: 'Berlin',
    country: 'DE',
    nationality: 'DE',
    birthday: '1990-12-10',
  };
  const corporate = {
    name: 'ACME',
    registrationNumber: 'HRB 1',
    address: 'Main Street 1',
    postalCode: '10115',
    city: 'Berlin',
    country: 'DE',
    countryState: 'BE',
    representatives: [person],
    finalBeneficiaries: [{ ...person, ownershipPercentage: '50' }],
    directors: [person],
  };
  const documents = [{ kind: 'passport', fileId: ID, side: 'front' }];
  await clientTable(t, [
    { name: 'profiles', args: [{ state: 'approved', kind: 'personal' }], rows: [['filters', '0', RECORD], ['state', '0.state'], ['kind', '0.kind']] },
    { name: 'profile', args: [PROFILE], rows: [['profileId', '0']] },
    { name: 'createProfile', args: ['personal', ID], rows: [['kind', '0'], ['id', '1']] },
    {
      name: 'submitDetails',
      args: [PROFILE, { personal: { ...person, phone: '+49 1', email: 'ada@example.com', idDocument: { number: 'P1', kind: 'passport' } } }],
      rows: [
        ['profileId', '0'],
        ['body', '1'],
        ['body.personal', '1.personal', [], 'body.personal.firstName'],
        ['body.personal.firstName', '1.personal.firstName', TEXT],
        ['body.personal.lastName', '1.personal.lastName', TEXT],
        ['body.personal.address', '1.personal.address', TEXT],
        ['body.personal.postalCode', '1.personal.postalCode', TEXT],
        ['body.personal.city', '1.personal.city', TEXT],
        ['body.personal.country', '1.personal.country'],
        ['body.personal.countryState', '1.personal.countryState', TEXT],
        ['body.personal.nationality', '1.personal.nationality'],
        ['body.personal.birthday', '1.personal.birthday'],
        ['body.personal.phone', '1.personal.phone', TEXT],
        ['body.personal.email', '1.personal.email'],
        ['body.personal.idDocument', '1.personal.idDocument', [], 'body.personal.idDocument.number'],
        ['body.personal.idDocument.number', '1.personal.idDocument.number', TEXT],
        ['body.personal.idDocument.kind', '1.personal.idDocument.kind'],
      ],
    },
    {
      name: 'submitDetails',
      args: [PROFILE, { corporate }],
      rows: [
        ['body.corporate', '1.corporate', [], 'body.corporate.name'],
        ['body.corporate.name', '1.corporate.name', TEXT],
        ['body.corporate.registrationNumber', '1.corporate.registrationNumber', TEXT],
        ['body.corporate.registrationDate', '1.corporate.registrationDate'],
        ['body.corporate.vatNumber', '1.corporate.vatNumber', TEXT],
        ['body.corporate.website', '1.corporate.website', TEXT],
        ['body.corporate.countryState', '1.corporate.countryState', TEXT],
        ['body.corporate.representatives', '1.corporate.representatives'],
        ['body.corporate.representatives.0', '1.corporate.representatives.0', [], 'body.corporate.representatives.0.firstName'],
        ['body.corporate.representatives.0.birthday', '1.corporate.representatives.0.birthday'],
        ['body.corporate.representatives.0.email', '1.corporate.representatives.0.email'],
        ['body.corporate.finalBeneficiaries', '1.corporate.finalBeneficiaries'],
        ['body.corporate.finalBeneficiaries.0.ownershipPercentage', '1.corporate.finalBeneficiaries.0.ownershipPercentage'],
        ['body.corporate.directors', '1.corporate.directors'],
        ['body.corporate.directors.0.nationality', '1.corporate.directors.0.nationality'],
      ],
    },
    { name: 'submitForm', args: [PROFILE, { personal: { occupation: 'x' } }], rows: [['profileId', '0'], ['body', '1', RECORD], ['body.personal', '1.personal', RECORD]] },
    {
      name: 'submitVerifications',
      args: [PROFILE, { personal: [{ kind: 'idDocument', documents }] }],
      rows: [
        ['profileId', '0'],
        ['body', '1'],
        ['body.personal', '1.personal'],
        ['body.personal.0', '1.personal.0', [], 'body.personal.0.kind'],
        ['body.personal.0.kind', '1.personal.0.kind'],
        ['body.personal.0.documents', '1.personal.0.documents'],
        ['body.personal.0.documents.0', '1.personal.0.documents.0', [], 'body.personal.0.documents.0.kind'],
        ['body.personal.0.documents.0.kind', '1.personal.0.documents.0.kind'],
        ['body.personal.0.documents.0.fileId', '1.personal.0.documents.0.fileId'],
        ['body.personal.0.documents.0.side', '1.personal.0.documents.0.side'],
      ],
    },
    // The older `{kind, fileId}` entry (fact sheet §3) is accepted, and checked the same way.
    { name: 'submitVerifications', args: [PROFILE, { personal: [{ kind: 'idDocument', fileId: ID }] }], rows: [['body.personal.0.fileId', '1.personal.0.fileId']] },
    {
      name: 'submitVerifications',
      args: [PROFILE, { corporate: [{ kind: 'beneficialOwnership', personId: ID, documents }] }],
      rows: [['body.corporate.0.kind', '1.corporate.0.kind'], ['body.corporate.0.personId', '1.corporate.0.personId']],
    },
    {
      name: 'shareProfile',
      args: [PROFILE, { provider: 'sumsub', personal: { token: 'sumsub-token' } }],
      rows: [['profileId', '0'], ['body', '1', [], 'body.provider'], ['body.provider', '1.provider'], ['body.personal', '1.personal', [], 'body.personal.token'], ['body.personal.token', '1.personal.token', TEXT]],
    },
  ]);
});

test('addresses, IBANs and balances: each wrong field is named, nothing is sent', async (t) => {
  await clientTable(t, [
    { name: 'addresses', args: [{ profile: PROFILE, chain: 'sepolia' }], rows: [['filters', '0', RECORD], ['profile', '0.profile'], ['chain', '0.chain']] },
    { name: 'address', args: [ADDRESS], rows: [['address', '0']] },
    {
      name: 'linkAddress',
      args: [{ address: ADDRESS, chains: ['sepolia', 'chiado'], profile: PROFILE, signature: '0x' }],
      rows: [['input', '0', [], 'address'], ['address', '0.address'], ['chains', '0.chains'], ['chains.1', '0.chains.1'], ['profile', '0.profile'], ['signature', '0.signature']],
    },
    { name: 'linkAddress', args: [{ address: ADDRESS, chains: ['sepolia'], signer }], rows: [['signer', '0.signer']] },
    {
      name: 'requestIban',
      args: [{ address: ADDRESS, chain: 'sepolia', emailNotifications: false }],
      rows: [['input', '0', [], 'address'], ['address', '0.address'], ['chain', '0.chain'], ['emailNotifications', '0.emailNotifications']],
    },
    { name: 'ibans', args: [{ profile: PROFILE, chain: 'sepolia' }], rows: [['filters', '0', RECORD], ['profile', '0.profile'], ['chain', '0.chain']] },
    { name: 'iban', args: [IBAN], rows: [['iban', '0']] },
    { name: 'moveIban', args: [IBAN, { address: ADDRESS, chain: 'sepolia' }], rows: [['iban', '0'], ['to', '1', [], 'address'], ['address', '1.address'], ['chain', '1.chain']] },
    { name: 'balances', args: ['sepolia', ADDRESS, ['eur', 'gbp']], rows: [['chain', '0'], ['address', '1'], ['currencies', '2'], ['currencies.1', '2.1']] },
  ]);
});

test('orders: each wrong field of a filter or a new order is named, nothing is signed or sent', async (t) => {
  const sepa = {
    id: ID,
    amount: '12.50',
    currency: 'eur',
    address: ADDRESS,
    chain: 'sepolia',
    counterpart: { kind: 'iban', iban: IBAN, firstName: 'Ada', lastName: 'Lovelace', country: 'EE' },
    memo: 'Invoice 42',
    referenceNumber: 'R-1',
    supportingDocumentId: ID,
    signature: SIGNATURE,
    timestamp: AT,
    ibanForm: 'full',
  };
  await clientTable(t, [
    {
      name: 'orders',
      args: [{ address: ADDRESS, txHash: '0xabc', profile: PROFILE, memo: 'Invoice 42', state: 'processed' }],
      rows: [['filters', '0', RECORD], ['address', '0.address'], ['txHash', '0.txHash'], ['profile', '0.profile'], ['memo', '0.memo', TEXT], ['state', '0.state']],
    },
    { name: 'order', args: [ID], rows: [['orderId', '0']] },
    { name: 'followPendingOrder', args: [ID], rows: [['orderId', '0']] },
    {
      name: 'placeOrder',
      args: [sepa],
      rows: [
        ['input', '0', [], 'amount'],
        ['id', '0.id'],
        ['amount', '0.amount'],
        ['currency', '0.currency'],
        ['address', '0.address'],
        ['chain', '0.chain'],
        ['memo', '0.memo'],
        ['referenceNumber', '0.referenceNumber', TEXT],
        ['supportingDocumentId', '0.supportingDocumentId'],
        ['signature', '0.signature'],
        ['timestamp', '0.timestamp'],
        ['ibanForm', '0.ibanForm'],
        ['counterpart', '0.counterpart', [], 'counterpart.kind'],
        ['counterpart.kind', '0.counterpart.kind'],
        ['counterpart.iban', '0.counterpart.iban'],
        ['counterpart.country', '0.counterpart.country'],
        ['counterpart.firstName', '0.counterpart.firstName', TEXT],
        ['counterpart.lastName', '0.counterpart.lastName', TEXT],
      ],
    },
    {
      name: 'placeOrder',
      args: [{ ...sepa, counterpart: { kind: 'iban', iban: IBAN, companyName: 'ACME', country: 'EE' } }],
      rows: [['counterpart.companyName', '0.counterpart.companyName', TEXT]],
    },
    {
      name: 'placeOrder',
      args: [{ ...sepa, counterpart: { kind: 'chain', address: OTHER, chain: 'chiado' } }],
      rows: [['counterpart.address', '0.counterpart.address'], ['counterpart.chain', '0.counterpart.chain']],
    },
    { name: 'placeOrder', args: [{ ...sepa, signature: undefined, signer }], rows: [['signer', '0.signer']] },
  ]);
});

test('tokens, files, signatures, swaps and webhooks: each wrong field is named, nothing is sent', async (t) => {
  const secret = v2.generateWebhookSecret();
  await clientTable(t, [
    {
      name: 'pendingSignatures',
      args: [{ address: ADDRESS, chain: 'sepolia', kind: 'order', profile: PROFILE }],
      rows: [['filters', '0', RECORD], ['address', '0.address'], ['chain', '0.chain'], ['kind', '0.kind'], ['profile', '0.profile']],
    },
    {
      name: 'uploadFile',
      args: [{ filename: 'invoice.pdf', contentType: 'application/pdf', data: new Uint8Array([37, 80, 68, 70]) }],
      rows: [['file', '0', [], 'file.filename'], ['file.filename', '0.filename', TEXT], ['file.contentType', '0.contentType'], ['file.data', '0.data']],
    },
    { name: 'previewSwap', args: ['arbitrumsepolia', 'USDC', 'EURe'], rows: [['chain', '0'], ['sell', '1'], ['buy', '2']] },
    { name: 'acceptSwap', args: [{ quote: 'q-1' }], rows: [['body', '0', RECORD]] },
    {
      name: 'createWebhook',
      args: [{ url: 'https://hooks.example.com/monerium', secret, types: ['order.created', 'order.updated'] }],
      rows: [['input', '0', [], 'url'], ['url', '0.url'], ['secret', '0.secret'], ['types', '0.types'], ['types.1', '0.types.1']],
    },
    {
      name: 'updateWebhook',
      args: [ID, { state: 'inactive', types: ['iban.updated'] }],
      rows: [['subscriptionId', '0'], ['input', '1'], ['state', '1.state'], ['types', '1.types'], ['types.0', '1.types.0']],
    },
  ]);
});

/** What the exported functions take besides the client's arguments: an environment, order settings. */
test('exported resource functions name a wrong environment or order setting; their api is never called', async (t) => {
  let calls = 0;
  const api = {
    request: () => {
      calls += 1;
      return TE.left({ _tag: 'TransportError', kind: 'connection', attempts: 1, message: 'stub' } as GatewayError);
    },
    send: () => {
      calls += 1;
      return TE.left({ _tag: 'TransportError', kind: 'connection', attempts: 1, message: 'stub' } as GatewayError);
    },
  };
  const settings = { environment: 'sandbox', signer, now: () => AT.getTime(), lookup: { attempts: 1, intervalMs: 0 } };
  const order = { id: ID, amount: '1', address: ADDRESS, chain: 'sepolia', counterpart: { kind: 'chain', address: OTHER, chain: 'chiado' } };
  const functions: Record<string, Call> = {
    listAddresses: v2.listAddresses as Call,
    linkAddress: v2.linkAddress as Call,
    requestIban: v2.requestIban as Call,
    listIbans: v2.listIbans as Call,
    moveIban: v2.moveIban as Call,
    getBalances: v2.getBalances as Call,
    listPendingSignatures: v2.listPendingSignatures as Call,
    placeOrder: v2.placeOrder as Call,
  };
  const call = ((name: string, ...args: never[]) => (functions[name] as Call)(api as never, ...args)) as Call;
  await runTable(
    t,
    call,
    [
      { name: 'listAddresses', args: ['sandbox', {}], rows: [['environment', '0']] },
      { name: 'linkAddress', args: ['sandbox', { address: ADDRESS, chains: ['sepolia'], signature: '0x' }], rows: [['environment', '0']] },
      { name: 'requestIban', args: ['sandbox', { address: ADDRESS, chain: 'sepolia' }], rows: [['environment', '0']] },
      { name: 'listIbans', args: ['sandbox', {}], rows: [['environment', '0']] },
      { name: 'moveIban', args: ['sandbox', IBAN, { address: ADDRESS, chain: 'sepolia' }], rows: [['environment', '0']] },
      { name: 'getBalances', args: ['sandbox', 'sepolia', ADDRESS], rows: [['environment', '0']] },
      { name: 'listPendingSignatures', args: ['sandbox', {}], rows: [['environment', '0']] },
      {
        name: 'placeOrder',
        args: [order, settings],
        rows: [
          ['settings', '1', [], 'settings.lookup'],
          ['settings.environment', '1.environment'],
          ['settings.now', '1.now'],
          ['settings.signer', '1.signer'],
          ['settings.lookup', '1.lookup', [], 'settings.lookup.attempts'],
          ['settings.lookup.attempts', '1.lookup.attempts', NUMBER],
          ['settings.lookup.intervalMs', '1.lookup.intervalMs', NUMBER],
        ],
      },
    ],
    () => calls,
  );
});

test('sign-in: authorizationUrl, SIWE and the callback name each wrong field; nothing is sent', async (t) => {
  const server = await startV2Server(t);
  const client = v2Client(server, { auth: { kind: 'authorization_code', clientId: 'app-1', redirectUri: 'http://127.0.0.1:1/callback' }, now: () => AT.getTime() });
  const pending = client.authorizationUrl({ state: 'state-1' });
  if (E.isLeft(pending)) return t.fail(pending.left.message);
  const functions: Record<string, Call> = {
    // authorizationUrl answers an Either: as a task here so one table runs all three.
    authorizationUrl: ((params: never) => TE.fromEither(client.authorizationUrl(params))) as Call,
    signInWithEthereum: client.signInWithEthereum as Call,
    finishAuthorization: client.finishAuthorization as Call,
  };
  const call = ((name: string, ...args: never[]) => (functions[name] as Call)(...args)) as Call;
  await runTable(
    t,
    call,
    [
      {
        name: 'authorizationUrl',
        args: [{ state: 'state-2', email: 'ada@example.com', skipKyc: true, authMode: 'signup' }],
        rows: [['params', '0', RECORD], ['state', '0.state', TEXT], ['email', '0.email'], ['skipKyc', '0.skipKyc'], ['authMode', '0.authMode']],
      },
      {
        name: 'signInWithEthereum',
        args: [
          {
            signer,
            chain: 'sepolia',
            appName: 'Paygate',
            privacyPolicyUrl: 'https://example.com/privacy',
            termsOfServiceUrl: 'https://example.com/terms',
            domain: 'example.com',
            uri: 'https://example.com',
            expiresInMs: 60_000,
            state: 'state-3',
          },
        ],
        rows: [
          ['params', '0', [], 'signer'],
          ['signer', '0.signer'],
          ['chain', '0.chain'],
          ['appName', '0.appName', TEXT],
          ['privacyPolicyUrl', '0.privacyPolicyUrl'],
          ['termsOfServiceUrl', '0.termsOfServiceUrl'],
          ['domain', '0.domain'],
          ['uri', '0.uri'],
          ['expiresInMs', '0.expiresInMs', NUMBER],
          ['state', '0.state', TEXT],
        ],
      },
      {
        name: 'finishAuthorization',
        args: [`http://127.0.0.1:1/callback?code=code-1&state=state-1`, pending.right],
        rows: [['callbackUrl', '0', RELATIVE], ['pending', '1', [], 'pending.state'], ['pending.state', '1.state', COMPARED], ['pending.codeVerifier', '1.codeVerifier']],
      },
    ],
    () => server.seen.length,
  );
});

test('the v2 gateway: payments, payment and pay name each wrong field; nothing is sent', async (t) => {
  const server = await startV2Server(t);
  const gateway = moneriumV2Gateway(v2Client(server, { now: () => AT.getTime() }), { signer, chain: 'sepolia', profile: PROFILE });
  const functions: Record<string, Call> = { payments: gateway.payments as Call, payment: gateway.payment as Call, pay: gateway.pay as Call };
  const call = ((name: string, ...args: never[]) => (functions[name] as Call)(...args)) as Call;
  const payee = { kind: 'iban', iban: IBAN, firstName: 'Ada', lastName: 'Lovelace' };
  await runTable(
    t,
    call,
    [
      { name: 'payments', args: [{ limit: 10, status: 'completed' }], rows: [['query', '0', RECORD], ['limit', '0.limit', NUMBER], ['status', '0.status'], ['cursor', '0.cursor']] },
      { name: 'payment', args: [ID], rows: [['orderId', '0']] },
      {
        name: 'pay',
        args: [{ amount: '12.50', currency: 'EUR', to: payee, memo: 'Invoice 42' }],
        rows: [
          ['to', '0', [], 'to'],
          ['amount', '0.amount'],
          ['currency', '0.currency'],
          ['memo', '0.memo'],
          ['to', '0.to', [], 'to.kind'],
          ['to.kind', '0.to.kind'],
          ['to.iban', '0.to.iban'],
          ['to.firstName', '0.to.firstName', TEXT],
          ['to.lastName', '0.to.lastName', TEXT],
        ],
      },
      { name: 'pay', args: [{ amount: '1', currency: 'EUR', to: { kind: 'iban', iban: IBAN, companyName: 'ACME' } }], rows: [['to.companyName', '0.to.companyName', TEXT]] },
      { name: 'pay', args: [{ amount: '1', currency: 'EUR', to: { kind: 'address', address: `chiado:${OTHER}` } }], rows: [['to.address', '0.to.address']] },
    ],
    () => server.seen.length,
  );
});

test('watchOrders names a wrong filter, handler or options field and opens no socket', (t) => {
  const client = v2Client({ url: 'http://127.0.0.1:9', seen: [], route: () => undefined });
  for (const [label, value] of WRONG) {
    const cases: ReadonlyArray<readonly [string, () => E.Either<GatewayError, { unsubscribe(): void }>]> = [
      ['filters', () => client.watchOrders(value as never, () => undefined)],
      ['profile', () => client.watchOrders({ profile: value } as never, () => undefined)],
      ['state', () => client.watchOrders({ state: value } as never, () => undefined)],
      ['handler', () => client.watchOrders({}, value as never)],
      ['options', () => client.watchOrders({}, () => undefined, value as never)],
    ];
    for (const [field, open] of cases) {
      // An object with only a __proto__ key is empty filters or options: valid.
      if ((field === 'filters' || field === 'options') && value === PROTO) continue;
      const result = open();
      if (E.isRight(result)) result.right.unsubscribe();
      t.like(result, { _tag: 'Left', left: { _tag: 'InvalidInput', field } }, `${field} = ${label}`);
    }
  }
});

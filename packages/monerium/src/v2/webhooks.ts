import { randomBytes } from 'node:crypto';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import * as t from 'io-ts/lib/index.js';
import { type GatewayError, invalidInput, parseServiceUrl } from '@paygate/core';
import { type MoneriumApi, pathSegment } from '../api.js';
import { onApi } from './api.js';

/** Event types a subscription can ask for (fact sheet §5). Default `iban.updated` + `profile.updated`. */
export const WebhookTypeCodec = t.keyof({
  'iban.updated': null,
  'order.created': null,
  'order.updated': null,
  'profile.updated': null,
  'profile.error': null,
});
export type WebhookType = t.TypeOf<typeof WebhookTypeCodec>;

export const SubscriptionCodec = t.intersection([
  t.type({ id: t.string, url: t.string }),
  t.partial({ types: t.array(t.string), state: t.string }),
]);
export type WebhookSubscription = t.TypeOf<typeof SubscriptionCodec>;
const SubscriptionListCodec = t.type({ subscriptions: t.array(SubscriptionCodec) });

const SECRET = /^whsec_[A-Za-z0-9+/]+={0,2}$/;

/** `whsec_` + base64 of 24–64 random bytes (fact sheet §5); 32 by default (and for anything that is not a finite number). */
export const generateWebhookSecret = (bytes = 32): string => {
  const size = typeof bytes === 'number' && Number.isFinite(bytes) ? Math.min(64, Math.max(24, Math.floor(bytes))) : 32;
  return `whsec_${randomBytes(size).toString('base64')}`;
};

/** A `whsec_` secret whose key decodes to 24–64 bytes. */
export const checkWebhookSecret = (secret: unknown, field = 'secret'): E.Either<GatewayError, string> => {
  if (typeof secret !== 'string' || !SECRET.test(secret)) return E.left(invalidInput(field, 'must be whsec_ followed by base64'));
  const length = Buffer.from(secret.slice('whsec_'.length), 'base64').length;
  return length >= 24 && length <= 64 ? E.right(secret) : E.left(invalidInput(field, 'must hold a key of 24 to 64 bytes'));
};

const WEBHOOK_TYPES = Object.keys(WebhookTypeCodec.keys);

const checkTypes = (types: unknown): E.Either<GatewayError, ReadonlyArray<WebhookType> | undefined> => {
  if (types === undefined) return E.right(undefined);
  if (!Array.isArray(types) || types.length === 0 || types.length > WEBHOOK_TYPES.length) {
    return E.left(invalidInput('types', `must be a non-empty list of ${WEBHOOK_TYPES.join(', ')}`));
  }
  const wrong = types.findIndex((type) => !WebhookTypeCodec.is(type));
  return wrong < 0 ? E.right(types as ReadonlyArray<WebhookType>) : E.left(invalidInput(`types.${wrong}`, `must be one of ${WEBHOOK_TYPES.join(', ')}`));
};

export interface CreateSubscriptionInput {
  /** Your receiver's public https URL. Monerium POSTs `subscription.created` to it first and needs a 200. */
  readonly url: string;
  /** Use `generateWebhookSecret()`; keep it to verify deliveries. */
  readonly secret: string;
  readonly types?: ReadonlyArray<WebhookType>;
}

export interface UpdateSubscriptionInput {
  readonly state?: 'active' | 'inactive';
  readonly types?: ReadonlyArray<WebhookType>;
}

/** `GET /webhooks`. */
export const listSubscriptions = onApi('listSubscriptions', (api: MoneriumApi): TE.TaskEither<GatewayError, ReadonlyArray<WebhookSubscription>> =>
  pipe(
    api.request({ method: 'GET', path: '/webhooks' }, SubscriptionListCodec),
    TE.map((body) => body.subscriptions),
  ));

/** `POST /webhooks {url, secret, types?}` → 201 subscription. The secret never appears in an error. */
export const createSubscription = onApi('createSubscription', (api: MoneriumApi, input: CreateSubscriptionInput): TE.TaskEither<GatewayError, WebhookSubscription> => {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return TE.left(invalidInput('input', 'must be { url, secret, types? }'));
  // Core's one URL check: deliveries carry account data, so https (http only to a loopback host).
  const url = parseServiceUrl(input.url, 'url', { allowQuery: true });
  if (E.isLeft(url)) return TE.fromEither(url);
  const secret = checkWebhookSecret(input.secret);
  if (E.isLeft(secret)) return TE.fromEither(secret);
  const types = checkTypes(input.types);
  if (E.isLeft(types)) return TE.fromEither(types);
  return api.request(
    {
      method: 'POST',
      path: '/webhooks',
      json: { url: input.url, secret: secret.right, ...(types.right === undefined ? {} : { types: types.right }) },
      secrets: [secret.right, secret.right.slice('whsec_'.length)],
    },
    SubscriptionCodec,
  );
});

/** `PATCH /webhooks/{subscription} {state?, types?}` (404 for an unknown id). */
export const updateSubscription = onApi('updateSubscription', (
  api: MoneriumApi,
  subscriptionId: string,
  input: UpdateSubscriptionInput,
): TE.TaskEither<GatewayError, WebhookSubscription> => {
  const id = pathSegment(subscriptionId, 'subscriptionId');
  if (E.isLeft(id)) return TE.fromEither(id);
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return TE.left(invalidInput('input', 'must be { state?, types? }'));
  if (input.state !== undefined && input.state !== 'active' && input.state !== 'inactive') {
    return TE.left(invalidInput('state', "must be 'active' or 'inactive'"));
  }
  const types = checkTypes(input.types);
  if (E.isLeft(types)) return TE.fromEither(types);
  if (input.state === undefined && types.right === undefined) return TE.left(invalidInput('input', 'needs state or types'));
  return api.request(
    {
      method: 'PATCH',
      path: `/webhooks/${id.right}`,
      json: { ...(input.state === undefined ? {} : { state: input.state }), ...(types.right === undefined ? {} : { types: types.right }) },
    },
    SubscriptionCodec,
  );
});

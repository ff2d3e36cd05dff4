import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { decodeWith } from '@paygate/core';
import type { MoneriumApi } from '../api.js';
import { PROVIDER } from '../errors.js';
import type { OrderFeed } from '../order-socket.js';
import { V2_ACCEPT } from './api.js';
import { listOrders, type Order, OrderCodec } from './orders.js';

/** Newest first by `meta.placedAt`; the id breaks ties. */
const byPlacedDesc = (a: Order, b: Order): number => Date.parse(b.meta.placedAt) - Date.parse(a.meta.placedAt) || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

/**
 * The v2 order feed over the SDK 3.x websocket (`wss://{api host}/orders?access_token=…
 * [&profile=…][&state=…]`, fact sheet §3): one v2 order per message, the state at the top of the
 * order, the v2 `Accept` header on the upgrade. v2's `GET /orders` has no paging, so catch-up reads
 * the list and keeps the newest `limit` orders. Whether Monerium still serves this socket is
 * unknown (fact sheet §8); webhooks are the documented feed.
 */
export const v2OrderFeed = (api: MoneriumApi): OrderFeed<Order> => ({
  decode: decodeWith(OrderCodec, PROVIDER),
  idOf: (order) => order.id,
  stateOf: (order) => order.state,
  changesOf: ({ meta }) => [meta.placedAt, meta.processedAt],
  newest: (filters, limit) =>
    pipe(
      listOrders(api, filters),
      TE.map((orders) => [...orders].sort(byPlacedDesc).slice(0, limit)),
    ),
  headers: { accept: V2_ACCEPT },
});

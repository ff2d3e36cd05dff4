import type { WebSocketUpgrade } from '../context.js';
import type { OrderFeedSource } from '../monerium/websocket.js';
import { mayRead, type V2Caller, v2CallerOfHeader, type V2Services } from './caller.js';
import { v2Error, v2Validation } from './errors.js';
import { acceptsV2, type V2Order, V2_ORDER_STATES } from './model.js';

/** The caller of an upgrade: the `access_token` query parameter the SDK 3 websocket uses, or a Bearer header. */
const upgradeCaller = (services: V2Services, upgrade: WebSocketUpgrade): V2Caller => {
  const token = upgrade.query.get('access_token');
  return v2CallerOfHeader(services, token === null ? upgrade.request.headers.authorization : `Bearer ${token}`, upgrade.clock.now());
};

/**
 * The SDK 3.x order websocket (fact sheet §5): `wss://…/orders?access_token=…[&profile=…][&state=…]`,
 * one v2 Order per message, on every transition. Whether Monerium still serves it is unknown; the
 * sandbox does, for clients that send the v2 `Accept` header or a token of a v2 client.
 */
export const v2FeedSource = (services: V2Services): OrderFeedSource<V2Order> => ({
  subscribe: (listener) => services.world.watchOrders(listener),
  profileOf: (order) => order.profile,
  stateOf: (order) => order.state,
  admit(upgrade) {
    if (upgrade.path !== '/orders') throw v2Error(404, `Endpoint not found: ${upgrade.path}`);
    const caller = upgradeCaller(services, upgrade);
    const state = upgrade.query.get('state');
    if (state !== null && !V2_ORDER_STATES.some((s) => s === state)) throw v2Validation({ state: `Must be one of ${V2_ORDER_STATES.join(', ')}` });
    return { visible: (profile) => mayRead(caller, profile), state: state ?? undefined, profile: upgrade.query.get('profile') ?? undefined };
  },
});

const isV2Token = (services: V2Services, upgrade: WebSocketUpgrade): boolean => {
  const token = upgrade.query.get('access_token') ?? /^Bearer\s+(\S+)/i.exec(upgrade.request.headers.authorization ?? '')?.[1];
  const grant = token === undefined ? undefined : services.sessions.authenticate(token, upgrade.clock.now());
  return grant !== undefined && (services.world.apps.some((a) => a.clientId === grant.clientId) || services.world.credentialClients.some((c) => c.clientId === grant.clientId));
};

/** v2 takes an upgrade with the v2 `Accept` header, or whose token belongs to a v2 client (a browser websocket sends no header). */
export const claimsUpgrade = (services: V2Services, upgrade: WebSocketUpgrade): boolean =>
  acceptsV2(upgrade.request.headers.accept) || isV2Token(services, upgrade);


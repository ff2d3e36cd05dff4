import type { IncomingMessage } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import { acceptsV2 } from './model.js';

/** The fastify route constraint that carries the API version picked by the `Accept` header. */
const CONSTRAINT = 'moneriumApiVersion';

/** Paths both versions share whose requests cannot carry the header (a browser opens `/auth`): the v1.3 handlers hand them over. */
const UNVERSIONED_PATHS = new Set(['/auth', '/auth/token']);

/**
 * Routes requests with `Accept: application/vnd.monerium.api-v2+json` to the v2 routes of the
 * Monerium scope and every other request to the v1.3 routes. With the header, a path only v1.3
 * has answers 404, as it would from the v2 API.
 */
export const installVersionRouting = (app: FastifyInstance): void => {
  const prefix = app.prefix;
  app.addConstraintStrategy({
    name: CONSTRAINT,
    storage() {
      const handlers = new Map<string, unknown>();
      return {
        get: (value: string) => (handlers.get(value) ?? null) as never,
        set: (value: string, handler: unknown) => {
          handlers.set(value, handler);
        },
      };
    },
    deriveConstraint: (request: IncomingMessage) => {
      const url = request.url ?? '';
      if (!url.startsWith(`${prefix}/`)) return undefined;
      const path = url.slice(prefix.length).split('?')[0] ?? '';
      if (UNVERSIONED_PATHS.has(path)) return undefined;
      const accept = request.headers.accept;
      return acceptsV2(Array.isArray(accept) ? accept.join(',') : accept) ? 'v2' : undefined;
    },
    mustMatchWhenDerived: true,
  });
};

type Handler = (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

export interface RouteOptions {
  /** The OpenAPI does not require the version header here (`/balances`, `/files`, `/countries`, `/swap`): served without it too. */
  readonly headerOptional?: boolean;
  readonly bodyLimit?: number;
}

/** Registers a v2 route (and, when the header is optional, the same handler for requests without it). */
export const v2Route = (app: FastifyInstance, method: HTTPMethods | HTTPMethods[], url: string, handler: Handler, options: RouteOptions = {}): void => {
  const extra = options.bodyLimit === undefined ? {} : { bodyLimit: options.bodyLimit };
  app.route({ method, url, handler, constraints: { [CONSTRAINT]: 'v2' }, ...extra });
  if (options.headerOptional === true) app.route({ method, url, handler, ...extra });
};

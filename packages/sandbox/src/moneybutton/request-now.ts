import type { FastifyRequest } from 'fastify';
import type { ProviderContext } from '../context.js';

/** The provider's time for one request, in ms: the sandbox clock plus any clock-skew fault drawn for it. */
export type RequestNow = (request: FastifyRequest) => number;

export function requestNowOf(ctx: ProviderContext): RequestNow {
  return (request) => (ctx.requestClock?.(request) ?? ctx.clock).now();
}

import type { FastifyRequest } from 'fastify';
import type { Clock, Random } from '../context.js';
import { authenticate, type Caller, type Directory } from './caller.js';
import type { SupportingDocuments } from './documents.js';
import type { Ledger } from './ledger.js';
import type { OrderBook } from './order-book.js';
import type { Sessions } from './sessions.js';

/** The emulator's state and helpers, handed to each route module. */
export interface Services {
  readonly random: Random;
  /** The provider clock for one request (with its clock-skew fault, if any). */
  readonly clockOf: (request: FastifyRequest) => Clock;
  readonly directory: Directory;
  readonly sessions: Sessions;
  readonly ledger: Ledger;
  readonly book: OrderBook;
  readonly documents: SupportingDocuments;
}

/** The authenticated caller of an HTTP API request (throws the documented 401 otherwise). */
export const callerOf = (services: Services, request: FastifyRequest): Caller =>
  authenticate(request.headers, undefined, services.clockOf(request).now(), services.directory, services.sessions);

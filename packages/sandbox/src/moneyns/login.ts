import type { FastifyReply } from 'fastify';
import type { MoneyNsAccounts } from './accounts.js';
import type { MoneyNsUser } from './fixtures.js';
import { sendFlatError } from './flat-error.js';
import type { MoneyNsSessions } from './sessions.js';

/** The documented account-state answers, then a new session for an active account. */
export function completeLogin(
  reply: FastifyReply,
  user: MoneyNsUser,
  accounts: MoneyNsAccounts,
  sessions: MoneyNsSessions,
  now: number,
): FastifyReply {
  const state = accounts.stateOf(user);
  if (state === 'inactive') return sendFlatError(reply, 401, 'The account is inactive.');
  if (state === 'locked') return sendFlatError(reply, 423, 'The account is locked.');
  accounts.recordLogin(user);
  return reply.code(200).type('application/json; charset=utf-8').send(sessions.create(user.id, now));
}

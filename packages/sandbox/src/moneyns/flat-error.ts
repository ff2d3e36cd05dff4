import type { FastifyReply } from 'fastify';

/** MoneyNS errors are flat: `{"error": "message"}` (NOTES.md "MoneyNS"). */
export interface MoneyNsError {
  readonly error: string;
}

export function sendFlatError(reply: FastifyReply, status: number, message: string): FastifyReply {
  const body: MoneyNsError = { error: message };
  return reply.code(status).type('application/json; charset=utf-8').send(body);
}

import { inspect } from 'node:util';

/** Every rendering of an error a user might log: JSON, util.inspect and the message. */
const renderings = (value: unknown): ReadonlyArray<string> => [
  JSON.stringify(value) ?? '',
  inspect(value, { depth: 12 }),
  String((value as { message?: unknown } | null)?.message ?? ''),
];

/** The secrets (shortened for the report) that occur in any rendering of `value`. */
export const leakedSecrets = (value: unknown, secrets: ReadonlyArray<string>): ReadonlyArray<string> =>
  secrets
    .filter((secret) => secret.length >= 4 && renderings(value).some((text) => text.includes(secret)))
    .map((secret) => `${secret.slice(0, 4)}…`);

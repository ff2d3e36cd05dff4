import type { Random } from '../context.js';

/** A JSON request body read field by field: anything of the wrong type reads as missing. */
export type JsonObject = Record<string, unknown>;

export const asObject = (value: unknown): JsonObject | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonObject) : undefined;

export const asString = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** Opaque tokens and cursors in the style of the documented ones (`VQ6RC-4MRAKqYsgjO14I4Q`). */
export const opaque = (random: Random, bytes = 16): string => Buffer.from(random.hex(bytes), 'hex').toString('base64url');

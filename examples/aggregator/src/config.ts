import { readFileSync } from 'node:fs';
import { type GatewayError, invalidInput } from '@paygate/core';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';

/** The environment secrets are read from (`process.env` in the program, a plain record in tests). */
export type Env = Readonly<Record<string, string | undefined>>;

/** What the registry receives: `{ provider: use, ...providers[use] }`, every `{ "env": … }` replaced. */
export interface GatewayConfig {
  readonly provider: string;
  readonly [setting: string]: unknown;
}

/** `field` of the errors that concern the file itself rather than a value in it. */
export const FILE_FIELD = '(file)';

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

type JsonObject = Readonly<Record<string, unknown>>;

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const join = (path: string, key: string | number): string => (path === '' ? String(key) : `${path}.${key}`);

/** `{ "env": "NAME" }` and nothing else: any other object is ordinary configuration. */
const isEnvReference = (value: unknown): value is JsonObject =>
  isObject(value) && Object.keys(value).length === 1 && Object.hasOwn(value, 'env');

const readEnv = (reference: JsonObject, env: Env, path: string): E.Either<GatewayError, string> => {
  const name = reference.env;
  if (typeof name !== 'string' || !ENV_NAME.test(name)) {
    return E.left(invalidInput(path, '"env" must name an environment variable (letters, digits and _)'));
  }
  const value = env[name];
  // The reason names the variable, never its value: the value is usually a secret.
  if (value === undefined) return E.left(invalidInput(path, `environment variable ${name} is not set`));
  if (value === '') return E.left(invalidInput(path, `environment variable ${name} is empty`));
  return E.right(value);
};

/**
 * Replaces every `{ "env": "NAME" }` inside `value` by the value of `NAME`. A variable that is
 * not set is an `InvalidInput` whose `field` is the JSON path of the reference (`path` is the
 * path of `value` itself), so the message says both where and which.
 */
export const resolveEnvReferences = (value: unknown, env: Env, path = ''): E.Either<GatewayError, unknown> => {
  if (isEnvReference(value)) return readEnv(value, env, path);
  if (Array.isArray(value)) {
    const items: unknown[] = [];
    for (const [index, item] of value.entries()) {
      const resolved = resolveEnvReferences(item, env, join(path, index));
      if (E.isLeft(resolved)) return resolved;
      items.push(resolved.right);
    }
    return E.right(items);
  }
  if (isObject(value)) {
    const entries: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const resolved = resolveEnvReferences(item, env, join(path, key));
      if (E.isLeft(resolved)) return resolved;
      entries[key] = resolved.right;
    }
    return E.right(entries);
  }
  return E.right(value);
};

const readUse = (file: JsonObject, env: Env): E.Either<GatewayError, string> =>
  pipe(
    resolveEnvReferences(file.use, env, 'use'),
    E.flatMap((use) =>
      typeof use === 'string' && use.length > 0
        ? E.right(use)
        : E.left(invalidInput('use', 'must be the name of an entry under "providers"')),
    ),
  );

const readProviders = (file: JsonObject): E.Either<GatewayError, JsonObject> =>
  isObject(file.providers)
    ? E.right(file.providers)
    : E.left(invalidInput('providers', 'must be an object with one entry per provider'));

const selectEntry = (providers: JsonObject, use: string): E.Either<GatewayError, JsonObject> => {
  if (!Object.hasOwn(providers, use)) {
    const configured = Object.keys(providers).join(', ') || 'none';
    return E.left(invalidInput('use', `"${use}" has no entry under "providers" (configured: ${configured})`));
  }
  const entry = providers[use];
  if (!isObject(entry)) return E.left(invalidInput(`providers.${use}`, 'must be an object of provider settings'));
  // The provider is what `use` says; a second, possibly different, answer inside the entry would
  // make the one-line switch a lie.
  if (Object.hasOwn(entry, 'provider')) {
    return E.left(invalidInput(`providers.${use}.provider`, 'is taken from "use"; remove it from the entry'));
  }
  return E.right(entry);
};

/**
 * Turns the parsed `gateway.json` into the config of the provider it `use`s. Only that
 * provider's entry is resolved against `env`, so the variables of the others need not be set.
 */
export const gatewayConfigFrom = (file: unknown, env: Env): E.Either<GatewayError, GatewayConfig> => {
  if (!isObject(file)) return E.left(invalidInput('(root)', 'must be a JSON object with "use" and "providers"'));
  return pipe(
    E.Do,
    E.bind('use', () => readUse(file, env)),
    E.bind('providers', () => readProviders(file)),
    E.bind('entry', ({ use, providers }) => selectEntry(providers, use)),
    E.bind('settings', ({ use, entry }) => resolveEnvReferences(entry, env, `providers.${use}`)),
    E.map(({ use, settings }) => ({ provider: use, ...(settings as JsonObject) })),
  );
};

/** Parses JSON text. The parser's own message quotes the text around the error, which may be a secret, so it is not passed on. */
export const parseConfigText = (text: string): E.Either<GatewayError, unknown> =>
  E.tryCatch(
    () => JSON.parse(text) as unknown,
    () => invalidInput(FILE_FIELD, 'is not valid JSON'),
  );

export const readConfigFile = (path: string): E.Either<GatewayError, string> =>
  E.tryCatch(
    () => readFileSync(path, 'utf8'),
    (error) => {
      const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
      return invalidInput(FILE_FIELD, `cannot be read (${code})`);
    },
  );

/** Reads, parses and resolves a config file in one step. */
export const loadGatewayConfig = (path: string, env: Env): E.Either<GatewayError, GatewayConfig> =>
  pipe(
    readConfigFile(path),
    E.flatMap(parseConfigText),
    E.flatMap((file) => gatewayConfigFrom(file, env)),
  );

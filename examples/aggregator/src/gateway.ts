import { createRegistry, type GatewayError, invalidInput, type PaymentsGateway } from '@paygate/core';
import * as monerium from '@paygate/monerium';
import * as moneyButton from '@paygate/moneybutton';
import * as moneyNs from '@paygate/moneyns';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { GatewayConfig } from './config.js';

/** Every provider this program can switch between; `use` in gateway.json picks one. */
export const registry = createRegistry([monerium.adapter, moneyButton.adapter, moneyNs.adapter]);

/**
 * The registry names fields relative to the provider's config (`auth.clientSecret`); the user
 * edits gateway.json, where that field lives under `providers.<use>`, and where the provider
 * itself is chosen by `use`.
 */
const fieldInFile = (use: string, field: string): string => {
  if (field === 'provider') return 'use';
  if (field === '(root)' || field === '') return `providers.${use}`;
  return `providers.${use}.${field}`;
};

const relocate =
  (use: string) =>
  (error: GatewayError): GatewayError => {
    if (error._tag !== 'InvalidInput') return error;
    const field = fieldInFile(use, error.field);
    return invalidInput(field, error.reason, `${field}: ${error.reason}`);
  };

/** Builds the gateway `config.provider` names; a refused config names its field as written in gateway.json. */
export const buildGateway = (config: GatewayConfig): E.Either<GatewayError, PaymentsGateway> =>
  pipe(registry.create(config), E.mapLeft(relocate(config.provider)));

import { type GatewayError, transportError } from '@paygate/core';

export { createMemoryDeliveryDedupe, type DeliveryDedupe } from '@paygate/core';

export const storeUnavailableForTests: GatewayError = transportError({ kind: 'store', attempts: 1, message: 'store down' });

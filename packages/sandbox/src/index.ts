export type { Clock, ProviderContext, ProviderEmulator, ProviderName, Random, WebSocketUpgrade } from './context.js';
export type { FaultRule } from './faults.js';
export { completeAuthorizationHeadless, type HeadlessLoginInput } from './headless-login.js';
export type { RecordedRequest } from './recorder.js';
export { type Sandbox, type SandboxOptions, startSandbox } from './server.js';
export {
  type AuthorizationRequestRecord,
  type Chain,
  type Currency,
  LINK_MESSAGE,
  type MoneriumAccount,
  type MoneriumAddressFixture,
  type MoneriumAdmin,
  type MoneriumBalanceFixture,
  type MoneriumBalances,
  type MoneriumConfidentialClient,
  type MoneriumFixtures,
  type MoneriumOptions,
  type MoneriumOrder,
  type MoneriumProfile,
  type MoneriumPublicClient,
  type MoneriumToken,
  type MoneriumUserFixture,
  type OrderState,
  type PlaceIssueOrderInput,
  type ProfileAccess,
  type SupportingDocument,
} from './monerium/index.js';
export {
  CHAIN_TABLE as MONERIUM_V2_CHAINS,
  type IncomingPaymentInput,
  MONERIUM_SIWE_RESOURCE,
  type MoneriumV2AddressFixture,
  type MoneriumV2Admin,
  type MoneriumV2Country,
  type MoneriumV2Fixtures,
  type MoneriumV2Options,
  type MoneriumV2SafeFixture,
  type PendingSignature,
  type TokenErrorShape,
  type V2Address as MoneriumV2Address,
  type V2Chain as MoneriumV2Chain,
  type V2File as MoneriumV2File,
  type V2Iban as MoneriumV2Iban,
  type V2Order as MoneriumV2Order,
  type V2Profile as MoneriumV2Profile,
  type V2Token as MoneriumV2Token,
  V2_MEDIA_TYPE as MONERIUM_V2_MEDIA_TYPE,
  type WebhookAttempt,
  type WebhookFault,
  type WebhookSubscription,
} from './monerium-v2/index.js';
export {
  moneriumSiweMessage,
  type ReceivedWebhook,
  type SiweLoginInput,
  signInWithEthereumHeadless,
  startWebhookReceiver,
  type WebhookReceiver,
} from './monerium-v2/testing.js';
export type { MoneyButtonAdmin, MoneyButtonEmulatorOptions, MoneyButtonFixtures } from './moneybutton/index.js';
export type { MoneyNsAdmin, MoneyNsEmulatorOptions, MoneyNsFixtures } from './moneyns/index.js';

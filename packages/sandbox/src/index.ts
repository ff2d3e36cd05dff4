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
export type { MoneyButtonAdmin, MoneyButtonEmulatorOptions, MoneyButtonFixtures } from './moneybutton/index.js';
export type { MoneyNsAdmin, MoneyNsEmulatorOptions, MoneyNsFixtures } from './moneyns/index.js';

// Names the guides' samples use without defining them, the way prose says "given a gateway…".
// Only types live here: each sample is otherwise a complete module compiled by test/samples.test.ts.
declare const gateway: import('@paygate/core').PaymentsGateway;
declare const configText: string;
declare const token: string;
declare const server: import('@paygate/core').OAuthServer;
declare const client: import('@paygate/core').OAuthClient;
declare const pending: import('@paygate/core').PendingAuthorization;
declare const callbackUrl: string;
declare const privateKeyPem: string;
// docs/auth-flows.md: the providers' endpoints and the app's registered clients.
declare const monerium: import('@paygate/core').OAuthServer;
declare const moneyButton: import('@paygate/core').OAuthServer;
declare const app: import('@paygate/core').OAuthClient;
declare const partner: import('@paygate/core').OAuthClient;
declare const mbApp: import('@paygate/core').OAuthClient;
declare const stored: { readonly refreshToken: string };
declare const userId: string;
// The provider and sandbox pages: the client each page builds first, a signer holding the key of a
// linked address (a wallet, an HSM, a viem account), a Monerium profile id and a running sandbox.
declare const moneriumClient: import('@paygate/monerium').MoneriumClient;
declare const signer: import('@paygate/monerium').Signer;
declare const profileId: string;
declare const mb: import('@paygate/moneybutton').MoneyButtonClient;
declare const moneyNs: import('@paygate/moneyns').MoneyNsClient;
declare const sandbox: import('@paygate/sandbox').Sandbox;
// docs/getting-started.md: the client factory its first section defines.
declare const moneriumFor: (userId?: string) => import('fp-ts/lib/Either.js').Either<import('@paygate/core').GatewayError, import('@paygate/monerium').MoneriumClient>;

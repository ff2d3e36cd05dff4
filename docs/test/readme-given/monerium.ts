// Names packages/monerium/README.md takes as given; see samples.test.ts.
export {};
declare const monerium: import('@paygate/monerium').MoneriumClient;
declare const session: { monerium: import('@paygate/core').PendingAuthorization };
declare const request: { readonly url: string };
declare function redirect(url: string): void;
declare const clientId: string;
declare const clientSecret: string;
declare const key: `0x${string}`;
declare const address: string;
declare const signature: string;
declare const bytes: Uint8Array;
declare const log: { info(...args: unknown[]): void; warn(...args: unknown[]): void };

// Names packages/sandbox/README.md takes as given; see samples.test.ts.
export {};
declare const authorization: string;
declare const challenge: string;
declare const clients: import('@paygate/sandbox').Sandbox['fixtures']['monerium']['clients'];
declare const profile: string;
declare const address: string;
declare const id: string;
declare const wallet: import('viem').LocalAccount;
declare const admin: import('@paygate/sandbox').Sandbox['admin'];
declare const mb: string;
declare const app: import('@paygate/sandbox').Sandbox['fixtures']['moneybutton']['app'];
declare const otherApp: import('@paygate/sandbox').Sandbox['fixtures']['moneybutton']['otherApp'];
declare const accessToken: string;
declare const port: number;
declare const iban: string;
declare const orderId: string;
declare const field: string;
declare const reason: string;

// Names packages/moneybutton/README.md takes as given; see samples.test.ts.
export {};
declare const session: { moneybutton: import('@paygate/core').PendingAuthorization };
declare const req: { readonly url: string };
declare const res: { redirect(url: string): void };
declare const rawBody: string;
declare const orders: { markPaid(paymentId: string, status: string): Promise<void> };
declare const log: { info(...args: unknown[]): void; warn(...args: unknown[]): void };
declare const app: { post(path: string, handler: import('node:http').RequestListener): void };
declare const payment: import('@paygate/moneybutton').MoneyButtonPayment;
declare const response: Parameters<import('@paygate/core').ErrorMapper>[0];

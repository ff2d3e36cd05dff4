// Names packages/moneyns/README.md takes as given; see samples.test.ts.
export {};
declare const client: import('@paygate/moneyns').MoneyNsClient;
declare const configJson: string;

// Names packages/core/README.md takes as given; see samples.test.ts.
export {};
declare const http: import('@paygate/core').HttpClient;

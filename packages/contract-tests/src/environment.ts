import type { Capability, PaymentRequest, PaymentsGateway } from '@paygate/core';

/** The fault rules the suite needs from a sandbox (the shape of @paygate/sandbox's `FaultRule`). */
export type ContractFault =
  | { readonly kind: 'status'; readonly status: 503 }
  | { readonly kind: 'latency'; readonly ms: number }
  | { readonly kind: 'malformed-json' };

/** What the suite needs of a sandbox: a request log and fault injection. @paygate/sandbox fits it. */
export interface ContractSandbox {
  readonly admin: {
    requests(): ReadonlyArray<{ readonly method: string; readonly path: string }>;
    clearRequests(): void;
    readonly faults: { set(rules: ReadonlyArray<ContractFault>): void; clear(): void };
  };
}

/** One fresh world per test: a gateway wired to its own sandbox. */
export interface ContractEnvironment {
  readonly gateway: PaymentsGateway;
  readonly sandbox: ContractSandbox;
  /** Seeded credentials (passwords, client secrets, tokens, keys) that must never appear in an error. */
  readonly secrets: ReadonlyArray<string>;
  /** The per-attempt timeout the gateway was built with; the suite injects latency beyond it. */
  readonly requestTimeoutMs: number;
  /** Revokes every credential the gateway holds, at the provider (e.g. `admin.<provider>.revokeAll()`). */
  revokeCredentials(): Promise<void>;
  /** Makes the provider emit one payment event for this gateway; required when `watch` is declared. */
  triggerPaymentEvent?(): Promise<void>;
  teardown(): Promise<void>;
}

export interface ContractOptions {
  /** Shown in every test title, e.g. `monerium`. */
  readonly name: string;
  /** What the adapter claims; everything else must answer `Unsupported` without a request. */
  readonly capabilities: ReadonlyArray<Capability>;
  readonly setup: () => Promise<ContractEnvironment>;
  /** An id the provider surely does not know (default: a v4-shaped UUID nobody issued). */
  readonly missingPaymentId?: string;
  /** A request `pay` must refuse before sending anything (default: a negative amount in a bad currency). */
  readonly invalidPaymentRequest?: PaymentRequest;
}

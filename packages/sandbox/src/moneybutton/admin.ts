import type { Clock } from '../context.js';
import { isMoneyButtonCurrency, type MoneyButtonCurrency, satoshisOf } from './exchange.js';
import type { MoneyButtonPaymentStatus } from './fixtures.js';
import type { MoneyButtonGrants } from './grants.js';
import type { MoneyButtonLedger } from './ledger.js';
import type { WebhookDelivery, WebhookSender } from './webhooks.js';

export interface MoneyButtonPayRequest {
  /** The Money Button user who receives the payment. */
  readonly toUserId: string;
  /** A positive decimal string: up to 2 decimals for USD, 8 for BSV. */
  readonly amount: string;
  readonly currency: MoneyButtonCurrency;
  /** Paying paymail; defaults to an outside payer. */
  readonly fromPaymail?: string;
  /** Where the payment ends after RECEIVED; default COMPLETED. */
  readonly finalStatus?: Extract<MoneyButtonPaymentStatus, 'COMPLETED' | 'FAILED'>;
}

export interface MoneyButtonPayResult {
  readonly paymentId: string;
  /** Settles once the PENDING, RECEIVED and final events were each posted (or failed); never rejects. */
  readonly delivered: Promise<ReadonlyArray<WebhookDelivery>>;
}

export interface MoneyButtonAdmin {
  /** Every access token issued so far answers 401 `invalid_token` from now on; refresh tokens still work. */
  expireAccessTokens(): void;
  /** Every access and refresh token issued so far is revoked. */
  revokeAll(): void;
  /** Where webhooks go (the app's webhook URL); null stops deliveries. */
  setWebhookUrl(url: string | null): void;
  /** A payment from outside to a user: webhooks for PENDING, then RECEIVED, then the final status. */
  pay(request: MoneyButtonPayRequest): MoneyButtonPayResult;
  /** Posts the payment's last webhook body again (a duplicate delivery). Rejects if none was sent. */
  redeliver(paymentId: string): Promise<WebhookDelivery>;
  /** Every webhook delivery attempt so far, in order. */
  deliveries(): ReadonlyArray<WebhookDelivery>;
}

export function createMoneyButtonAdmin(
  ledger: MoneyButtonLedger,
  grants: MoneyButtonGrants,
  webhooks: WebhookSender,
  clock: Clock,
): MoneyButtonAdmin {
  const pay = (request: MoneyButtonPayRequest): MoneyButtonPayResult => {
    const toUser = ledger.user(request.toUserId);
    if (toUser === undefined) throw new TypeError(`pay: unknown Money Button user ${request.toUserId}`);
    if (!isMoneyButtonCurrency(request.currency)) throw new TypeError('pay: currency must be USD or BSV');
    const satoshis = satoshisOf(request.amount, request.currency);
    if (satoshis === undefined) throw new TypeError(`pay: ${request.amount} is not a positive ${request.currency} amount`);
    const from = request.fromPaymail ?? 'carol@paymail.example';
    const payment = ledger.receive({ toUser, from, currency: request.currency, satoshis }, clock.now());
    const finalStatus = request.finalStatus ?? 'COMPLETED';
    const delivered = (async () => {
      const pending = await webhooks.send(payment);
      ledger.advance(payment, 'RECEIVED', clock.now());
      const received = await webhooks.send(payment);
      ledger.advance(payment, finalStatus, clock.now());
      const final = await webhooks.send(payment);
      return [pending, received, final];
    })();
    return { paymentId: payment.id, delivered };
  };

  return {
    expireAccessTokens: () => grants.expireAccessTokens(),
    revokeAll: () => grants.revokeAll(),
    setWebhookUrl: (url) => webhooks.setUrl(url),
    pay,
    redeliver: (paymentId) => webhooks.redeliver(paymentId),
    deliveries: () => webhooks.deliveries(),
  };
}

import { type ClientRequest, request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Clock } from '../context.js';
import type { MoneyButtonPaymentStatus } from './fixtures.js';
import type { PaymentRecord } from './ledger.js';
import { webhookPaymentJson } from './v2-shapes.js';

const DELIVERY_TIMEOUT_MS = 5_000;

/** One POST of a webhook event, successful or not. */
export interface WebhookDelivery {
  readonly paymentId: string;
  /** The payment status the event announced. */
  readonly paymentStatus: MoneyButtonPaymentStatus;
  /** True for `redeliver`: the same body sent again. */
  readonly redelivery: boolean;
  /** Null when no webhook URL was set (nothing was sent). */
  readonly url: string | null;
  /** True for a 2xx answer. */
  readonly ok: boolean;
  readonly httpStatus: number | null;
  /** Why the delivery failed without an HTTP answer (connection refused, timeout, …). */
  readonly error: string | null;
  /** Sandbox clock time of the attempt, in ms. */
  readonly at: number;
}

interface SentEvent {
  readonly paymentStatus: MoneyButtonPaymentStatus;
  readonly body: string;
}

interface Outcome {
  readonly httpStatus: number | null;
  readonly error: string | null;
}

/**
 * Money Button webhooks: `POST {secret, payment}` as JSON to the app's webhook URL, one per
 * payment status. Failures are recorded in `deliveries()`, never thrown, and not retried.
 */
export class WebhookSender {
  private url: string | null = null;
  private closed = false;
  private readonly lastEvents = new Map<string, SentEvent>();
  private readonly log: WebhookDelivery[] = [];
  private readonly inFlight = new Set<ClientRequest>();

  constructor(
    private readonly secret: string,
    private readonly clock: Clock,
  ) {}

  setUrl(url: string | null): void {
    if (url !== null) {
      let protocol: string;
      try {
        protocol = new URL(url).protocol;
      } catch {
        throw new TypeError('the webhook URL must be an absolute http(s) URL');
      }
      if (protocol !== 'http:' && protocol !== 'https:') throw new TypeError('the webhook URL must be http or https');
    }
    this.url = url;
  }

  deliveries(): ReadonlyArray<WebhookDelivery> {
    return [...this.log];
  }

  /** Sends the payment as it is now and remembers the body for `redeliver`. */
  send(payment: PaymentRecord): Promise<WebhookDelivery> {
    const event = { paymentStatus: payment.status, body: JSON.stringify({ secret: this.secret, payment: webhookPaymentJson(payment) }) };
    this.lastEvents.set(payment.id, event);
    return this.deliver(payment.id, event, false);
  }

  /** Posts the payment's last event again, byte for byte: a duplicate delivery. */
  redeliver(paymentId: string): Promise<WebhookDelivery> {
    const event = this.lastEvents.get(paymentId);
    if (event === undefined) return Promise.reject(new Error(`no webhook event was sent for payment ${paymentId}`));
    return this.deliver(paymentId, event, true);
  }

  close(): void {
    this.closed = true;
    for (const request of this.inFlight) request.destroy(new Error('the sandbox was closed'));
  }

  private async deliver(paymentId: string, event: SentEvent, redelivery: boolean): Promise<WebhookDelivery> {
    const url = this.url;
    const at = this.clock.now();
    let outcome: Outcome;
    if (url === null) outcome = { httpStatus: null, error: 'no webhook URL is set' };
    else if (this.closed) outcome = { httpStatus: null, error: 'the sandbox was closed' };
    else outcome = await this.post(url, event.body);
    const ok = outcome.httpStatus !== null && outcome.httpStatus >= 200 && outcome.httpStatus < 300;
    const delivery = { paymentId, paymentStatus: event.paymentStatus, redelivery, url, ok, ...outcome, at };
    this.log.push(delivery);
    return delivery;
  }

  private post(url: string, body: string): Promise<Outcome> {
    return new Promise((resolve) => {
      const send = url.startsWith('https:') ? httpsRequest : httpRequest;
      let settled = false;
      const settle = (outcome: Outcome): void => {
        if (settled) return;
        settled = true;
        this.inFlight.delete(request);
        resolve(outcome);
      };
      const request = send(url, {
        method: 'POST',
        agent: false,
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'content-length': Buffer.byteLength(body),
          'user-agent': 'MoneyButton-Webhooks (paygate sandbox)',
        },
      });
      this.inFlight.add(request);
      request.setTimeout(DELIVERY_TIMEOUT_MS, () => request.destroy(new Error('the webhook receiver did not answer in time')));
      request.on('error', (error) => settle({ httpStatus: null, error: error.message }));
      request.on('response', (response) => {
        response.resume();
        response.on('end', () => settle({ httpStatus: response.statusCode ?? null, error: null }));
        response.on('error', (error) => settle({ httpStatus: null, error: error.message }));
      });
      request.end(body);
    });
  }
}

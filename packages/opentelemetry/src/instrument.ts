import {
  type Attributes,
  type Context,
  type Counter,
  context,
  type Histogram,
  type MeterProvider,
  metrics,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  type TracerProvider,
  trace,
} from '@opentelemetry/api';
import * as E from 'fp-ts/lib/Either.js';
import {
  type GatewayError,
  hasMethods,
  invalidInput,
  optionalRecord,
  type RequestEndEvent,
  type RequestStartEvent,
  subscribePaygateHooks,
  type TokenRenewalEvent,
  type WebhookReceivedEvent,
} from '@paygate/core';
import { VERSION } from './version.js';

export interface PaygateInstrumentationOptions {
  /** Default: the global provider (`trace.getTracerProvider()`). */
  readonly tracerProvider?: TracerProvider;
  /** Default: the global provider (`metrics.getMeterProvider()`). */
  readonly meterProvider?: MeterProvider;
}

export interface PaygateInstrumentation {
  /** Unsubscribes from core's hooks and ends the spans of attempts still in flight. */
  stop(): void;
}

const SCOPE = '@paygate/opentelemetry';

/** A status that makes a client span an error (OpenTelemetry HTTP semantic conventions). */
const isErrorStatus = (status: number | undefined): boolean => status === undefined || status >= 400;

/**
 * Turns paygate's request lifecycle hooks into OpenTelemetry data:
 *
 * - a CLIENT span per HTTP attempt, named by the operation (`GET /orders/{id}`), with
 *   `http.request.method`, `url.template`, `http.response.status_code`,
 *   `http.request.resend_count`, `error.type`, `paygate.provider`, `paygate.operation` and
 *   `paygate.retry_reason`; its parent is the context active when the request started;
 * - a span per session renewal (`paygate token renewal`);
 * - metrics: `http.client.request.duration` (s), `paygate.client.retries`,
 *   `paygate.token.renewals`, `paygate.webhooks.received`.
 *
 * Nothing in them is secret: core's events carry no header, query, body or token.
 *
 * Like the adapters' factories it answers `Either<GatewayError, …>`: options that are not an
 * object, or a provider that is not one (no `getTracer`/`getMeter`, one that throws or answers
 * something else) are `InvalidInput` naming `options`, `tracerProvider` or `meterProvider`, and
 * nothing is subscribed.
 */
export const instrumentPaygate = (options: PaygateInstrumentationOptions = {}): E.Either<GatewayError, PaygateInstrumentation> => {
  const given = optionalRecord(options, 'options');
  if (E.isLeft(given)) return given;
  const { tracerProvider, meterProvider } = given.right ?? {};
  if (tracerProvider !== undefined && !hasMethods(tracerProvider, ['getTracer'])) return E.left(invalidInput('tracerProvider', 'must be an OpenTelemetry TracerProvider'));
  if (meterProvider !== undefined && !hasMethods(meterProvider, ['getMeter'])) return E.left(invalidInput('meterProvider', 'must be an OpenTelemetry MeterProvider'));
  const instruments = instrumentsOf((tracerProvider as TracerProvider | undefined) ?? trace.getTracerProvider(), (meterProvider as MeterProvider | undefined) ?? metrics.getMeterProvider());
  return E.map(observe)(instruments);
};

interface Instruments {
  readonly tracer: Tracer;
  readonly duration: Histogram;
  readonly retries: Counter;
  readonly renewals: Counter;
  readonly webhooks: Counter;
}

/**
 * Asks the providers for paygate's tracer, meter and instruments. A provider of the app's own
 * making may throw or hand back something else: that is `InvalidInput` naming the provider.
 */
const instrumentsOf = (tracerProvider: TracerProvider, meterProvider: MeterProvider): E.Either<GatewayError, Instruments> => {
  let tracer: Tracer;
  try {
    tracer = tracerProvider.getTracer(SCOPE, VERSION);
  } catch {
    return E.left(invalidInput('tracerProvider', 'getTracer failed'));
  }
  if (!hasMethods(tracer, ['startSpan'])) return E.left(invalidInput('tracerProvider', 'getTracer did not answer a Tracer'));
  try {
    const meter = meterProvider.getMeter(SCOPE, VERSION);
    const duration = meter.createHistogram('http.client.request.duration', {
      unit: 's',
      description: 'Duration of one HTTP request attempt to a payment provider',
    });
    const retries = meter.createCounter('paygate.client.retries', { description: 'Request attempts followed by a retry' });
    const renewals = meter.createCounter('paygate.token.renewals', { description: 'Session renewals (refresh or new login)' });
    const webhooks = meter.createCounter('paygate.webhooks.received', { description: 'Webhook deliveries received' });
    if (!hasMethods(duration, ['record']) || ![retries, renewals, webhooks].every((counter) => hasMethods(counter, ['add']))) {
      return E.left(invalidInput('meterProvider', 'its meter did not answer a Histogram and Counters'));
    }
    return E.right({ tracer, duration, retries, renewals, webhooks });
  } catch {
    return E.left(invalidInput('meterProvider', 'getMeter or creating an instrument failed'));
  }
};

/** Subscribes to core's hooks; core calls each hook inside a try, so a failing exporter never breaks a request. */
const observe = ({ tracer, duration, retries, renewals, webhooks }: Instruments): PaygateInstrumentation => {
  const open = new Map<number, Span>();

  const onRequestStart = (event: RequestStartEvent): void => {
    const parent: Context = context.active();
    const span = tracer.startSpan(
      event.operation,
      {
        kind: SpanKind.CLIENT,
        attributes: {
          'http.request.method': event.method,
          'url.template': event.pathTemplate,
          'paygate.provider': event.provider,
          'paygate.operation': event.operation,
          ...(event.attempt > 1 ? { 'http.request.resend_count': event.attempt - 1 } : {}),
        },
      },
      parent,
    );
    open.set(event.id, span);
  };

  const onRequestEnd = (event: RequestEndEvent): void => {
    const errorType = event.transportKind ?? (isErrorStatus(event.status) ? String(event.status) : undefined);
    const attributes: Attributes = {
      'http.request.method': event.method,
      'url.template': event.pathTemplate,
      'paygate.provider': event.provider,
      ...(event.status === undefined ? {} : { 'http.response.status_code': event.status }),
      ...(errorType === undefined ? {} : { 'error.type': errorType }),
    };
    duration.record(event.durationMs / 1000, attributes);
    if (event.retryReason !== undefined) retries.add(1, { 'paygate.provider': event.provider, 'paygate.retry_reason': event.retryReason });
    const span = open.get(event.id);
    if (span === undefined) return;
    open.delete(event.id);
    span.setAttributes(attributes);
    if (event.retryReason !== undefined) span.setAttribute('paygate.retry_reason', event.retryReason);
    if (errorType !== undefined) span.setStatus({ code: SpanStatusCode.ERROR, message: errorType });
    span.end();
  };

  const onTokenRenewal = (event: TokenRenewalEvent): void => {
    const attributes: Attributes = {
      'paygate.provider': event.provider,
      'paygate.grant': event.grant,
      'paygate.outcome': event.outcome,
      ...(event.errorTag === undefined ? {} : { 'error.type': event.errorReason ?? event.errorTag }),
    };
    renewals.add(1, attributes);
    const end = performance.timeOrigin + performance.now();
    const span = tracer.startSpan('paygate token renewal', { attributes, startTime: end - event.durationMs }, context.active());
    if (event.outcome === 'failed') span.setStatus({ code: SpanStatusCode.ERROR, message: event.errorReason ?? event.errorTag ?? 'failed' });
    span.end(end);
  };

  const onWebhookReceived = (event: WebhookReceivedEvent): void => {
    webhooks.add(1, {
      'paygate.provider': event.provider,
      'paygate.outcome': event.outcome,
      ...(event.eventType === undefined ? {} : { 'paygate.event_type': event.eventType }),
    });
  };

  const unsubscribe = subscribePaygateHooks({ onRequestStart, onRequestEnd, onTokenRenewal, onWebhookReceived });
  return {
    stop: () => {
      unsubscribe();
      for (const span of open.values()) span.end();
      open.clear();
    },
  };
};

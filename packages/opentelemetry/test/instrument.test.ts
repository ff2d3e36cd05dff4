import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { AggregationTemporality, type DataPoint, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { authError, createHttpClient, createMemoryTokenStore, createTokenManager, publishWebhookReceived } from '@paygate/core';
import test from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import * as io from 'io-ts';
import { instrumentPaygate } from '../src/index.js';

const SECRET = 'tok-5ecret-never-exported';
const Ok = io.type({ ok: io.boolean });

context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());

/** A tracer and a meter that keep everything in memory, and paygate instrumented onto them. */
const setup = (t: { teardown(fn: () => unknown): void }) => {
  const spans = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
  const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
  const meterProvider = new MeterProvider({ readers: [reader] });
  const instrumented = instrumentPaygate({ tracerProvider, meterProvider });
  if (E.isLeft(instrumented)) throw new Error(instrumented.left.message);
  const instrumentation = instrumented.right;
  t.teardown(async () => {
    instrumentation.stop();
    await meterProvider.shutdown();
    await tracerProvider.shutdown();
  });
  const metricsNamed = async (name: string) => {
    await reader.forceFlush();
    return exporter
      .getMetrics()
      .at(-1)
      ?.scopeMetrics.flatMap((scope) => scope.metrics)
      .filter((metric) => metric.descriptor.name === name)
      .flatMap((metric): ReadonlyArray<DataPoint<unknown>> => metric.dataPoints);
  };
  return { spans, tracerProvider, metricsNamed };
};

/** A server answering each request with the next status of `statuses` (then 200). */
const serve = async (t: { teardown(fn: () => unknown): void }, statuses: number[]) => {
  const server = createServer((_req, res) => {
    const status = statuses.shift() ?? 200;
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ ok: status === 200 }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise((resolve) => server.close(resolve)));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};

// The instrumentation is process-wide (it listens to every paygate client), so the tests run one at a time.
test.serial('each request attempt is a CLIENT span under the active span, with HTTP and paygate attributes', async (t) => {
  const { spans, tracerProvider } = setup(t);
  const baseUrl = await serve(t, [503]);
  const client = createHttpClient({ provider: 'acme', baseUrl, backoffBaseMs: 1, maxBackoffMs: 2 });
  const parent = tracerProvider.getTracer('app').startSpan('checkout');
  const result = await context.with(trace.setSpan(context.active(), parent), () =>
    client.request({ method: 'GET', path: '/orders/123', query: { token: SECRET }, headers: { authorization: `Bearer ${SECRET}` } }, Ok)(),
  );
  parent.end();
  t.deepEqual(result, E.right({ ok: true }));
  const attempts = spans.getFinishedSpans().filter((span) => span.name === 'GET /orders/{id}');
  t.is(attempts.length, 2);
  const [first, second] = attempts;
  for (const span of attempts) {
    t.is(span.kind, SpanKind.CLIENT);
    t.is(span.parentSpanContext?.spanId, parent.spanContext().spanId);
    t.is(span.spanContext().traceId, parent.spanContext().traceId);
  }
  t.like(first?.attributes, {
    'http.request.method': 'GET',
    'url.template': '/orders/{id}',
    'http.response.status_code': 503,
    'error.type': '503',
    'paygate.provider': 'acme',
    'paygate.operation': 'GET /orders/{id}',
    'paygate.retry_reason': 'status_503',
  });
  t.is(first?.status.code, SpanStatusCode.ERROR);
  t.like(second?.attributes, { 'http.response.status_code': 200, 'http.request.resend_count': 1 });
  t.is(second?.attributes['error.type'], undefined);
  t.not(second?.status.code, SpanStatusCode.ERROR);
  t.false(JSON.stringify(spans.getFinishedSpans().map((s) => [s.name, s.attributes])).includes(SECRET));
});

test.serial('attempt durations, retries, renewals and webhooks are metrics', async (t) => {
  const { metricsNamed } = setup(t);
  const baseUrl = await serve(t, [429, 200, 404]);
  const client = createHttpClient({ provider: 'acme', baseUrl, backoffBaseMs: 1, maxBackoffMs: 2, maxRetryAfterMs: 5 });
  await client.request({ method: 'GET', path: '/balances' }, Ok)();
  await client.request({ method: 'GET', path: '/payments/9' }, Ok)();
  const durations = await metricsNamed('http.client.request.duration');
  const byStatus = new Map(durations?.map((point) => [point.attributes['http.response.status_code'], point]));
  t.deepEqual([...byStatus.keys()].sort(), [200, 404, 429]);
  t.like(byStatus.get(404)?.attributes, { 'url.template': '/payments/{id}', 'error.type': '404', 'paygate.provider': 'acme' });
  t.is((byStatus.get(200)?.value as { count: number } | undefined)?.count, 1);
  const retries = await metricsNamed('paygate.client.retries');
  t.deepEqual(
    retries?.map((point) => [point.attributes['paygate.retry_reason'], point.value]),
    [['status_429', 1]],
  );

  const store = createMemoryTokenStore();
  await store.set('acme:client:user', { accessToken: SECRET, refreshToken: SECRET, tokenType: 'Bearer', expiresAt: 0, extra: {} })();
  const manager = createTokenManager({
    key: 'acme:client:user',
    store,
    refresh: () => TE.left(authError({ reason: 'invalid_grant', oauthError: 'invalid_grant', message: 'revoked' })),
  });
  t.true(E.isLeft(await manager.getAccessToken()()));
  const renewals = await metricsNamed('paygate.token.renewals');
  t.deepEqual(
    renewals?.map((point) => [point.attributes, point.value]),
    [[{ 'paygate.provider': 'acme', 'paygate.grant': 'refresh', 'paygate.outcome': 'failed', 'error.type': 'refresh_failed' }, 1]],
  );

  publishWebhookReceived({ provider: 'acme', outcome: 'accepted', eventType: 'payment.completed' });
  publishWebhookReceived({ provider: 'acme', outcome: 'duplicate' });
  const webhooks = await metricsNamed('paygate.webhooks.received');
  t.deepEqual(
    webhooks?.map((point) => [point.attributes['paygate.outcome'], point.value]).sort(),
    [
      ['accepted', 1],
      ['duplicate', 1],
    ],
  );
});

test.serial('a failed session renewal is an error span with its duration and no token', async (t) => {
  const { spans } = setup(t);
  const store = createMemoryTokenStore();
  await store.set('acme:client:user', { accessToken: SECRET, refreshToken: SECRET, tokenType: 'Bearer', expiresAt: 0, extra: {} })();
  const manager = createTokenManager({
    key: 'acme:client:user',
    store,
    refresh: () => TE.left(authError({ reason: 'invalid_grant', oauthError: 'invalid_grant', message: 'revoked' })),
  });
  await manager.getAccessToken()();
  const [span] = spans.getFinishedSpans().filter((s) => s.name === 'paygate token renewal');
  t.like(span?.attributes, { 'paygate.provider': 'acme', 'paygate.grant': 'refresh', 'paygate.outcome': 'failed' });
  t.is(span?.status.code, SpanStatusCode.ERROR);
  t.false(JSON.stringify(span?.attributes).includes(SECRET));
});

test.serial('after stop() nothing more is recorded', async (t) => {
  const spans = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
  const instrumented = instrumentPaygate({ tracerProvider });
  if (E.isLeft(instrumented)) return t.fail(instrumented.left.message);
  const instrumentation = instrumented.right;
  const baseUrl = await serve(t, []);
  const client = createHttpClient({ provider: 'acme', baseUrl });
  await client.request({ method: 'GET', path: '/a' }, Ok)();
  t.is(spans.getFinishedSpans().length, 1);
  instrumentation.stop();
  await client.request({ method: 'GET', path: '/a' }, Ok)();
  t.is(spans.getFinishedSpans().length, 1);
});

test.serial('options or providers that are not what their types say are InvalidInput naming them, and nothing is subscribed', async (t) => {
  const spans = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
  const field = (options: unknown) => {
    const result = instrumentPaygate(options as never);
    return E.isLeft(result) ? result.left : undefined;
  };
  for (const options of [null, 42, 'tracer', [], () => undefined]) t.like(field(options), { _tag: 'InvalidInput', field: 'options' }, String(options));
  t.like(field({ tracerProvider: {} }), { _tag: 'InvalidInput', field: 'tracerProvider' });
  t.like(field({ tracerProvider: null }), { _tag: 'InvalidInput', field: 'tracerProvider' });
  t.like(field({ tracerProvider: { getTracer: () => undefined } }), { _tag: 'InvalidInput', field: 'tracerProvider' });
  const throwing = { getTracer: () => { throw new Error('boom'); } };
  t.like(field({ tracerProvider: throwing }), { _tag: 'InvalidInput', field: 'tracerProvider' });
  t.like(field({ tracerProvider, meterProvider: 'meter' }), { _tag: 'InvalidInput', field: 'meterProvider' });
  t.like(field({ tracerProvider, meterProvider: { getMeter: () => ({}) } }), { _tag: 'InvalidInput', field: 'meterProvider' });
  t.like(field({ tracerProvider, meterProvider: { getMeter: () => { throw new Error('boom'); } } }), { _tag: 'InvalidInput', field: 'meterProvider' });
  const baseUrl = await serve(t, []);
  await createHttpClient({ provider: 'acme', baseUrl }).request({ method: 'GET', path: '/a' }, Ok)();
  t.is(spans.getFinishedSpans().length, 0, 'a refused instrumentation subscribed nothing');
});

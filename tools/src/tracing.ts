import { Attributes, Span, SpanStatusCode, context, trace } from '@opentelemetry/api';

/**
 * Tracing of the synth with @opentelemetry/api. Without an exporter the API is a no-op (no SDK is even loaded);
 * with OTEL_EXPORTER_OTLP_ENDPOINT set, spans go over OTLP/HTTP (e.g. to the test cluster's collector on 4318);
 * with `--trace`, a compact timing tree is printed to stderr.
 */
export const tracer = trace.getTracer('platformctl');

/** Runs `fn` in a child span of the active one; records errors; ends the span. */
export async function inSpan<T>(name: string, attributes: Attributes, fn: (span: Span) => Promise<T> | T): Promise<T> {
  return tracer.startActiveSpan(name, { attributes }, async (span) => {
    try {
      return await fn(span);
    } catch (err) {
      span.recordException(err as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
      throw err;
    } finally {
      span.end();
    }
  });
}

/** Records a span that already happened (e.g. on a worker thread), as a child of the active span. */
export function recordSpan(name: string, startMs: number, endMs: number, attributes: Attributes): Span {
  const span = tracer.startSpan(name, { startTime: startMs, attributes }, context.active());
  span.end(endMs);
  return span;
}

interface FinishedSpan {
  readonly id: string;
  readonly parent?: string;
  readonly name: string;
  readonly ms: number;
  readonly attributes: Attributes;
}

/** Prints spans as an indented tree; long lists of siblings are summarized (count, total, slowest). */
export function formatTree(spans: readonly FinishedSpan[], maxChildren = 8): string {
  const children = new Map<string | undefined, FinishedSpan[]>();
  const ids = new Set(spans.map((s) => s.id));
  for (const s of spans) {
    const parent = s.parent && ids.has(s.parent) ? s.parent : undefined;
    children.set(parent, [...(children.get(parent) ?? []), s]);
  }
  const lines: string[] = [];
  const attrs = (a: Attributes): string => {
    const shown = Object.entries(a).filter(([k]) => k !== 'unit' && k !== 'env').map(([k, v]) => `${k}=${v}`);
    return shown.length ? `  ${shown.join(' ')}` : '';
  };
  const walk = (parent: string | undefined, depth: number): void => {
    const kids = children.get(parent) ?? [];
    const label = (s: FinishedSpan): string => `${s.name}${s.attributes.unit ? ` ${s.attributes.unit}` : s.attributes.env ? ` ${s.attributes.env}` : ''}`;
    const shown = kids.length > maxChildren ? [...kids].sort((a, b) => b.ms - a.ms).slice(0, maxChildren) : kids;
    for (const s of shown) {
      lines.push(`${'  '.repeat(depth)}${label(s)}  ${(s.ms / 1000).toFixed(3)}s${attrs(s.attributes)}`);
      walk(s.id, depth + 1);
    }
    if (kids.length > shown.length) {
      const total = kids.reduce((n, s) => n + s.ms, 0);
      lines.push(`${'  '.repeat(depth)}… ${kids.length - shown.length} more (${kids.length} in all, ${(total / 1000).toFixed(3)}s summed; slowest shown)`);
    }
  };
  walk(undefined, 0);
  return lines.join('\n');
}

/**
 * Installs an SDK when there is somewhere to send spans. Returns a function that flushes and shuts it down.
 * The SDK modules are required lazily so the common path (no tracing) does not load them.
 */
export function setupTracing(options: { printTree: boolean; endpoint?: string }): () => Promise<void> {
  const endpoint = options.endpoint ?? process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (!options.printTree && !endpoint) return async () => {};
  /* eslint-disable @typescript-eslint/no-require-imports */
  const sdk = require('@opentelemetry/sdk-trace-base') as typeof import('@opentelemetry/sdk-trace-base');
  const { resourceFromAttributes } = require('@opentelemetry/resources') as typeof import('@opentelemetry/resources');
  const { AsyncLocalStorageContextManager } = require('@opentelemetry/context-async-hooks') as typeof import('@opentelemetry/context-async-hooks');
  const processors: import('@opentelemetry/sdk-trace-base').SpanProcessor[] = [];
  const finished: FinishedSpan[] = [];
  if (endpoint) {
    const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-http') as typeof import('@opentelemetry/exporter-trace-otlp-http');
    processors.push(new sdk.BatchSpanProcessor(new OTLPTraceExporter()));
  }
  /* eslint-enable @typescript-eslint/no-require-imports */
  if (options.printTree) {
    processors.push({
      onStart: () => {},
      onEnd: (span) => finished.push({
        id: span.spanContext().spanId,
        parent: span.parentSpanContext?.spanId,
        name: span.name,
        ms: span.duration[0] * 1e3 + span.duration[1] / 1e6,
        attributes: span.attributes,
      }),
      forceFlush: async () => {},
      shutdown: async () => {},
    });
  }
  const provider = new sdk.BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'platformctl' }),
    spanProcessors: processors,
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(provider);
  return async () => {
    await provider.forceFlush();
    await provider.shutdown();
    if (options.printTree) process.stderr.write(`${formatTree(finished)}\n`);
  };
}

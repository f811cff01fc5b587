/**
 * Traces and error reports, set up before the app loads:
 * `node --import ./dist/instrument.js dist/main.js` (`pnpm start` and the image do this).
 *
 * Instrumentation patches modules as they load (express, pg, node:http), so it must run
 * before main.js imports them; with ESM that means a module given to `--import` that
 * registers the loader hook first. Both are off unless configured, and then nothing heavy
 * is even imported: a process without OTEL_EXPORTER_OTLP_ENDPOINT or SENTRY_DSN pays for
 * one small env parse.
 */
import 'dotenv/config';
import { register } from 'node:module';
import { envSchema } from '../config/env-schema.js';
import { setErrorReporter } from './error-reporting.js';

const settings = envSchema
  .pick({
    NODE_ENV: true,
    OTEL_EXPORTER_OTLP_ENDPOINT: true,
    OTEL_SERVICE_NAME: true,
    SENTRY_DSN: true,
    SENTRY_ENVIRONMENT: true,
  })
  .safeParse(process.env);

// A bad value is reported by main.ts with every other bad variable; here it just means "off".
if (settings.success) {
  const env = settings.data;
  const tracing = env.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (tracing) {
    // import-in-the-middle's loader hook: lets the instrumentations patch ES modules as they load.
    // Only the modules instrumented below are wrapped: wrapping every module failed on CommonJS
    // packages whose ESM facade re-exports a default (`@mikro-orm/core`'s index.mjs) and costs start time.
    register('@opentelemetry/instrumentation/hook.mjs', import.meta.url, {
      data: { include: ['express', 'pg', 'http', 'https', 'node:http', 'node:https'] },
    });
  }
  if (env.SENTRY_DSN) {
    const Sentry = await import('@sentry/node');
    Sentry.init({
      dsn: env.SENTRY_DSN,
      environment: env.SENTRY_ENVIRONMENT ?? env.NODE_ENV,
      // Errors only (reportUnexpectedErrors and crashes): traces are OpenTelemetry's job below, and
      // Sentry's own tracer provider stays off (its default) so it never competes with that one.
      tracesSampleRate: 0,
      // The app reports route errors itself; no need to rewrite Express as it loads.
      enableRuntimeChannelInjection: false,
    });
    setErrorReporter(Sentry);
  }
  if (tracing) {
    const [
      { NodeSDK },
      { OTLPTraceExporter },
      { HttpInstrumentation },
      { ExpressInstrumentation },
      { PgInstrumentation },
    ] = await Promise.all([
      import('@opentelemetry/sdk-node'),
      import('@opentelemetry/exporter-trace-otlp-http'),
      import('@opentelemetry/instrumentation-http'),
      import('@opentelemetry/instrumentation-express'),
      import('@opentelemetry/instrumentation-pg'),
    ]);
    const sdk = new NodeSDK({
      serviceName: env.OTEL_SERVICE_NAME,
      traceExporter: new OTLPTraceExporter({ url: `${tracing.replace(/\/$/, '')}/v1/traces` }),
      instrumentations: [
        new HttpInstrumentation({
          // Probes and scrapes every few seconds would drown the traces that matter.
          ignoreIncomingRequestHook: (req) => /^\/(healthz|readyz|metrics)\b/.test(req.url ?? ''),
        }),
        new ExpressInstrumentation(),
        new PgInstrumentation(),
      ],
    });
    sdk.start();
    // Spans still batched go out before the process exits (main.ts exits after draining).
    const flush = () => {
      sdk.shutdown().catch(() => {});
    };
    process.once('SIGTERM', flush);
    process.once('SIGINT', flush);
  }
}

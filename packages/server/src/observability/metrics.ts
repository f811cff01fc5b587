import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/**
 * Prometheus metrics of this process (docs/deploy.md lists them). One registry per
 * process: the hooks below are called from deep inside the reply path and the provider
 * chain, which have no handle on the app, and a process serves one deployment.
 *
 * Design note: labels are closed sets chosen by the code (route templates, namespaces,
 * channels, provider names, error kinds, queue names), never values from a request, so a
 * scrape can neither leak a tenant's data nor be blown up by a client inventing labels.
 */
export const registry = new Registry();

collectDefaultMetrics({ register: registry, prefix: 'leaddesk_' });

// Latency buckets in seconds, from a fast API answer to an AI reply that hits its deadline.
const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const REPLY_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 8, 12, 20, 30, 60];

export const httpRequests = new Counter({
  name: 'leaddesk_http_requests_total',
  help: 'HTTP requests answered, by method, route template and status code',
  labelNames: ['method', 'route', 'status'] as const,
  registers: [registry],
});

export const httpDuration = new Histogram({
  name: 'leaddesk_http_request_duration_seconds',
  help: 'HTTP request latency until the response finished, by method, route template and status code',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: HTTP_BUCKETS,
  registers: [registry],
});

export const socketConnections = new Gauge({
  name: 'leaddesk_socket_connections',
  help: 'Socket.IO connections open on this process, by namespace',
  labelNames: ['namespace'] as const,
  registers: [registry],
});

export const socketEvents = new Counter({
  name: 'leaddesk_socket_events_total',
  help: 'Socket.IO events received (in) and sent (out) by this process, by namespace',
  labelNames: ['namespace', 'direction'] as const,
  registers: [registry],
});

export const messagesStored = new Counter({
  name: 'leaddesk_messages_total',
  help: 'Messages stored by this process, by channel and role (visitor, ai, staff, note, system)',
  labelNames: ['channel', 'role'] as const,
  registers: [registry],
});

const replyFirstToken = new Histogram({
  name: 'leaddesk_reply_first_token_seconds',
  help: "From the lead's message to the first text of the reply shown",
  buckets: REPLY_BUCKETS,
  registers: [registry],
});

const replyTotal = new Histogram({
  name: 'leaddesk_reply_total_seconds',
  help: "From the lead's message to the reply stored, by path (engine, or fallback after a failure or the deadline)",
  labelNames: ['path'] as const,
  buckets: REPLY_BUCKETS,
  registers: [registry],
});

const providerErrors = new Counter({
  name: 'leaddesk_ai_provider_errors_total',
  help: 'AI provider errors, by provider and kind (rate_limited, overloaded, server, timeout, connection, client, invalid_output)',
  labelNames: ['provider', 'kind'] as const,
  registers: [registry],
});

/** Called once when the first text of a reply is shown; `sinceMs` is the lead's message time. */
export function observeReplyFirstToken(sinceMs: number): void {
  replyFirstToken.observe(Math.max(0, Date.now() - sinceMs) / 1000);
}

/** Called once when a reply is stored. */
export function observeReplyStored(sinceMs: number, path: 'engine' | 'fallback'): void {
  replyTotal.observe({ path }, Math.max(0, Date.now() - sinceMs) / 1000);
}

/** Called for each provider error the fallback chain classifies. */
export function countProviderError(provider: string, kind: string): void {
  providerErrors.inc({ provider, kind });
}

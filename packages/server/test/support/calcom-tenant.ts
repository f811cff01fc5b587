import type { CalcomSettingsInput } from '@leaddesk/shared';
import { createClient } from '../../src/tenants/tenant-service.js';
import type { FakeCalcom } from './fake-calcom.js';
import type { TestServer } from './test-server.js';

/** REST with a tenant API key against a test server. */
export function tenantApi(server: TestServer, apiKey: string) {
  return async <T = Record<string, unknown>>(method: string, path: string, body?: unknown) => {
    // By port: server.url is PUBLIC_URL when a test sets one.
    const res = await fetch(`http://127.0.0.1:${server.port}/api/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${apiKey}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as T, text };
  };
}

/** A dental clinic in Rome with Cal.com connected to the fake through the settings API. */
export async function createCalcomTenant(
  server: TestServer,
  calcom: FakeCalcom,
  options: { name?: string; settings?: Partial<CalcomSettingsInput> } = {},
) {
  const created = await createClient(server.db.orm.em.fork(), {
    name: options.name ?? 'Sunset Dental',
    industry: 'dental',
    timezone: 'Europe/Rome',
    allowedOrigins: ['*'],
    starterKnowledge: false,
  });
  const api = tenantApi(server, created.apiKey);
  const webhookSecret = `whsec_${created.client.id.slice(0, 8)}_secret`;
  const saved = await api('PATCH', '/integrations/calcom', {
    apiKey: calcom.apiKey,
    webhookSecret,
    defaultEventTypeId: 100,
    eventTypes: [{ service: 'Teeth whitening', eventTypeId: 200 }],
    ...options.settings,
  });
  if (saved.status !== 200) throw new Error(`Cal.com settings refused: ${saved.text}`);
  return { ...created, api, webhookSecret };
}

export type CalcomTenant = Awaited<ReturnType<typeof createCalcomTenant>>;

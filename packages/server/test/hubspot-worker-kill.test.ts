/**
 * A worker killed in the middle of a HubSpot sync (issue 15): the server runs
 * as an operator runs it (a child process on PostgreSQL and Redis) and is
 * SIGKILLed while HubSpot is creating the lead's deal (HubSpot has it, the
 * worker never hears back). The lead is left pending; a new process finishes
 * the sync once: one contact, one deal, one note, the deal HubSpot already had.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createFreshPostgresDatabase, TEST_REDIS_URL } from './support/databases.js';
import { type FakeHubSpot, startFakeHubSpot } from './support/fake-hubspot.js';
import { waitFor } from './support/fake-providers.js';
import { call, connectHubSpot, crmState, waitForCrm, webFormLead } from './support/hubspot-tenant.js';
import { type ServerProcess, startServerProcess } from './support/server-process.js';

// Spawning tsx processes on a busy two-core machine is slow; the assertions are on outcomes, not timings.
vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });

const TOKEN = 'pat-na1-kkkkkkkk-1111-2222-3333-444444444444';

describe('HubSpot sync survives a killed worker', () => {
  let hubspot: FakeHubSpot;
  let env: Record<string, string>;
  let drop: () => Promise<void>;
  let databaseUrl: string;
  let dataDir: string;
  const processes: ServerProcess[] = [];

  beforeAll(async () => {
    hubspot = await startFakeHubSpot();
    hubspot.addPortal(TOKEN, '99003');
    const db = await createFreshPostgresDatabase();
    drop = db.drop;
    databaseUrl = db.url;
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'ld-hs-kill-'));
    env = {
      DATABASE_URL: db.url,
      DATA_DIR: dataDir,
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: `hsk${Date.now().toString(36)}:`,
      APP_SECRET: 'hubspot-kill-test-secret-0123456789abcdef',
      HUBSPOT_BASE_URL: hubspot.url,
      HUBSPOT_SYNC_DELAY_MS: '100',
      // The killed process's lease runs out quickly; the sweep looks every second.
      HUBSPOT_SYNC_LEASE_MS: '3000',
      HUBSPOT_SYNC_SWEEP_MS: '1000',
      STRUCTURED_CHUNK_DELAY_MS: '0',
    };
  });
  afterAll(async () => {
    for (const p of processes) await p.kill('SIGKILL');
    await hubspot?.close();
    await drop?.();
    if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
  });

  it('leaves the lead pending, and a restarted process completes it once', async () => {
    const first = await startServerProcess(env, { expectDemo: true, timeoutMs: 240_000 });
    processes.push(first);
    const demo = first.demo;
    if (!demo) throw new Error('no demo tenant printed');
    const as = (server: ServerProcess) => ({ base: server.url, token: demo.apiKey });
    await connectHubSpot(as(first), { accessToken: TOKEN, clientSecret: 'kill-test-client-secret', portalId: '99003' });
    await waitFor(
      async () => typeof (await call(as(first), '/crm/hubspot')).body.propertiesReadyAt === 'string',
      60_000,
    );

    // HubSpot creates the deal, but its answer never reaches the worker: killed meanwhile.
    const held = hubspot.hold((r) => r.method === 'POST' && r.path === '/crm/v3/objects/deals');
    const { leadId } = await webFormLead(first.url, demo.siteKey, {
      name: 'Kim Kill',
      email: 'kim.kill@example.org',
      message: 'Can I book a cleaning on Friday?',
    });
    await held.reached;
    await first.kill('SIGKILL');

    // Left pending, with the contact it had already found or created remembered.
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    const left = await client.query('select state, contact_id, deal_id from crm_syncs where lead_id = $1', [leadId]);
    await client.end();
    expect(left.rows[0]).toMatchObject({ state: 'pending', deal_id: null });
    expect(left.rows[0].contact_id).toMatch(/^\d+$/);
    const portal = hubspot.portal(TOKEN);
    expect(portal.deals.size).toBe(1);

    const second = await startServerProcess(env, { timeoutMs: 240_000 });
    processes.push(second);
    expect((await crmState(as(second), leadId)).state).not.toBe('failed');
    const done = await waitForCrm(as(second), leadId, (s) => s.state === 'synced', 60_000);

    // Once: the deal HubSpot created for the killed worker, found again by the lead's id; no second contact.
    const [deal] = [...portal.deals.values()];
    expect(portal.deals.size).toBe(1);
    expect(done.dealId).toBe(deal?.id);
    expect(done.contactId).toBe(left.rows[0].contact_id);
    expect([...portal.contacts.values()].filter((c) => c.properties.email === 'kim.kill@example.org')).toHaveLength(1);
    const creates = hubspot.requests.filter((r) => r.method === 'POST' && /objects\/(contacts|deals)$/.test(r.path));
    expect(creates.map((r) => r.path)).toEqual(['/crm/v3/objects/contacts', '/crm/v3/objects/deals']);
    expect(portal.notes.size).toBe(1);
    // BullMQ hands the killed worker's job to the new process later (stalled job); it finds the lead done.
    await new Promise((r) => setTimeout(r, 2000));
    expect(portal.deals.size).toBe(1);
    expect(portal.notes.size).toBe(1);
  });
});

import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectOrm, type Orm } from '../src/db/orm.js';
import { createClient } from '../src/tenants/tenant-service.js';
import { createFreshPostgresDatabase } from './support/databases.js';

/**
 * The brand domain verification migration on a database that already has brand domains and agency audit
 * entries (docs/white-label.md, "Domains"; docs/agencies.md, "Audit"): the domains accepted before stay
 * served (verified), new rows default to pending, and old agency-level entries are filed under their agency.
 */
describe('migration 20261209030000 on existing data', () => {
  let db: Awaited<ReturnType<typeof createFreshPostgresDatabase>>;
  let orm: Orm;
  const agencyId = randomUUID();
  let clientId: string;

  beforeAll(async () => {
    db = await createFreshPostgresDatabase();
    orm = await connectOrm({ url: db.url, poolMax: 2 });
    await orm.getMigrator().up({ to: 'Migration20261208040000InsightRollups' });
    const run = (sql: string, params: unknown[] = []) => orm.em.getConnection().execute(sql, params);
    await run(`insert into agencies (id, slug, name) values (?, 'old-agency', 'Old Agency')`, [agencyId]);
    // The client as the tenant service makes it (nothing it writes depends on the migration under test).
    clientId = (await createClient(orm.em.fork(), { name: 'Old Client', industry: 'dental', starterKnowledge: false }))
      .client.id;
    await run(`insert into brand_domains (host, agency_id) values ('old.agency.example', ?)`, [agencyId]);
    const audit = (action: string, client: string | null, target: string | null, metadata: object) =>
      run(
        `insert into audit_logs (id, client_id, actor, action, target, metadata, created_at)
         values (?, ?, 'user', ?, ?, ?::jsonb, now())`,
        [randomUUID(), client, action, target, JSON.stringify(metadata)],
      );
    await audit('agencies.created', null, agencyId, { agencyId, slug: 'old-agency' });
    await audit('agency.brand_domain_added', null, agencyId, {});
    await audit('client.branding_updated', clientId, clientId, {});
    await audit('clients.updated', clientId, clientId, { agencyId: { from: null, to: agencyId } });
    await orm.getMigrator().up();
  }, 120_000);
  afterAll(async () => {
    await orm?.close(true);
    await db?.drop();
  });

  it('marks existing brand domains verified, and new ones pending', async () => {
    const run = <T>(sql: string) => orm.em.getConnection().execute<T[]>(sql);
    const [old] = await run<{ status: string; verified_at: Date | null; verification_token: string | null }>(
      `select status, verified_at, verification_token from brand_domains where host = 'old.agency.example'`,
    );
    expect(old?.status).toBe('verified');
    expect(old?.verified_at).not.toBeNull();
    expect(old?.verification_token).toBeNull();
    await orm.em
      .getConnection()
      .execute(`insert into brand_domains (host, agency_id) values ('new.agency.example', ?)`, [agencyId]);
    const [fresh] = await run<{ status: string }>(`select status from brand_domains where host = 'new.agency.example'`);
    expect(fresh?.status).toBe('pending');
  });

  it('files earlier agency-level audit entries under their agency, and client entries under none', async () => {
    const rows = await orm.em
      .getConnection()
      .execute<{ action: string; agency_id: string | null }[]>(
        'select action, agency_id from audit_logs order by action',
      );
    expect(Object.fromEntries(rows.map((r) => [r.action, r.agency_id]))).toEqual({
      'agencies.created': agencyId,
      'agency.brand_domain_added': agencyId,
      'client.branding_updated': null,
      'clients.updated': null,
    });
  });
});

import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import type { Role } from '@leaddesk/shared';
import { hashPassword } from '../../src/auth/passwords.js';
import { User } from '../../src/db/entities/index.js';
import type { Orm } from '../../src/db/orm.js';
import { type AuthTestServer, strongPassword } from '../auth/support.js';

/** An agency row (the agencies API is another module's); its clients are attached by id. */
export async function createAgency(orm: Orm, input: { name: string; branding?: object; clientIds?: string[] }) {
  const id = randomUUID();
  const conn = orm.em.getConnection();
  await conn.execute('insert into agencies (id, slug, name, branding) values (?, ?, ?, ?::jsonb)', [
    id,
    `agency-${id.slice(0, 8)}`,
    input.name,
    JSON.stringify(input.branding ?? {}),
  ]);
  for (const clientId of input.clientIds ?? []) {
    await conn.execute('update clients set agency_id = ? where id = ?', [id, clientId]);
  }
  return { id };
}

/** A staff member of an agency (no client of their own). */
export async function createAgencyStaff(orm: Orm, agencyId: string, role: Role) {
  const em = orm.em.fork();
  const email = `agency-${role}-${randomUUID().slice(0, 8)}@example.com`;
  const password = strongPassword();
  em.create(User, {
    id: randomUUID(),
    client: null,
    agency: agencyId,
    email,
    name: `Agency ${role}`,
    role,
    passwordHash: await hashPassword(password),
    emailVerifiedAt: new Date(),
    backupCodeHashes: [],
  });
  await em.flush();
  return { email, password };
}

/** A request with a chosen Host header (fetch always sends the URL's own), as a browser on a brand domain would. */
export function requestWithHost(
  url: string,
  host: string,
  options: { method?: string; headers?: Record<string, string>; body?: unknown } = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }> {
  const body = options.body === undefined ? undefined : JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: options.method ?? 'GET',
        headers: {
          ...options.headers,
          host,
          ...(body ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Machine identifiers that keep the platform's name because integrations depend on them (docs/white-label.md):
 * the HubSpot property and group internal names. Nothing shown to people; everything else must not name the
 * platform. (The widget's public names and the lead export's format id are neutral: not set aside.)
 */
const MACHINE_IDENTIFIERS = [/\bleaddesk_[a-z_]+\b/g];
const PRODUCT = /lead\s?desk/gi;

/** Every mention of the platform's name left once the machine identifiers are set aside (with context). */
export function brandLeaks(text: string): string[] {
  let rest = text;
  for (const id of MACHINE_IDENTIFIERS) rest = rest.replace(id, '');
  return platformNames(rest);
}

/** Every mention of the platform's name, identifiers included (what a brand's client site must carry none of). */
export function platformNames(text: string): string[] {
  return [...text.matchAll(PRODUCT)].map((m) => text.slice(Math.max(0, m.index - 40), m.index + 40));
}

/**
 * Publishes a claimed brand domain's TXT record on the fake DNS server and verifies it through the API (what
 * its owner does after `POST …/brand-domains`). Returns the verified domain.
 */
export async function publishAndVerify(
  api: AuthTestServer['api'],
  dns: { txt: Map<string, string[]> },
  path: string,
  token: string,
  host: string,
) {
  const list = await api(path, { token });
  const domain = (list.body.data as Array<{ host: string; verification: { name: string; value: string } }>).find(
    (d) => d.host === host,
  );
  if (!domain) throw new Error(`${host} is not among ${path}`);
  dns.txt.set(domain.verification.name, [domain.verification.value]);
  const res = await api(`${path}/${host}/verify`, { method: 'POST', token });
  if (res.status !== 200 || res.body.data.status !== 'verified')
    throw new Error(`verifying ${host}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data;
}

/** A test server's branding served uncached, with its brand domains looked up at a local DNS server (1 s a try). */
export function brandDomainEnv(dns: { server: string }): Record<string, string> {
  return { BRANDING_CACHE_TTL_MS: '0', BRAND_DNS_SERVERS: dns.server, BRAND_DNS_TIMEOUT_MS: '1000' };
}

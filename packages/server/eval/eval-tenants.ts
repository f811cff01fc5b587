/**
 * The three businesses the eval talks to, set up the way an operator would:
 * a super admin creates each client from its industry template over REST,
 * then the client's API key replaces the template's sample FAQs and any
 * starter knowledge with this business's own documents (so every fact a label
 * relies on comes from eval/data/knowledge and none conflicts with it).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Vertical } from './dataset.js';
import type { RestClient } from './rest-client.js';

export interface KnowledgeDocument {
  file: string;
  /** PostgreSQL text-search language of the knowledge base holding it. */
  language: 'english' | 'spanish' | 'italian' | 'portuguese';
}

export interface EvalTenantSpec {
  vertical: Vertical;
  name: string;
  industry: 'dental' | 'hotel' | 'real_estate';
  timezone: string;
  locale: string;
  /** The region's currency: what an amount without a symbol means (labels follow it). */
  currency: string;
  documents: KnowledgeDocument[];
  /** Proper names a reply may quote in any language (ignored when judging a reply's language). */
  properNames: string[];
}

/**
 * Regions chosen so the set crosses currencies and phone plans: a US clinic
 * (USD, +1), an Italian lake hotel (EUR, +39) and a Portuguese agency (EUR,
 * +351). Each gets a price list and a policies document, one of them in the
 * tenant's own language and one in another, so questions cross languages.
 */
export const EVAL_TENANTS: EvalTenantSpec[] = [
  {
    vertical: 'dental',
    name: 'Brightside Dental Studio',
    industry: 'dental',
    timezone: 'America/New_York',
    locale: 'en-US',
    currency: 'USD',
    documents: [
      { file: 'dental-price-list.md', language: 'english' },
      { file: 'dental-politicas.md', language: 'spanish' },
    ],
    properNames: [
      'Brightside Dental Studio',
      'Brightside',
      'Delta Dental',
      'MetLife',
      'Aetna',
      'CareCredit',
      'Cigna',
      'Invisalign',
      'West 57th Street',
      'Columbus Circle',
      'Icon Parking',
      'New York',
      'Nueva York',
    ],
  },
  {
    vertical: 'hotel',
    name: 'Hotel Vista Lago',
    industry: 'hotel',
    timezone: 'Europe/Rome',
    locale: 'it-IT',
    currency: 'EUR',
    documents: [
      { file: 'hotel-tariffe.md', language: 'italian' },
      { file: 'hotel-policies.md', language: 'english' },
    ],
    properNames: ['Hotel Vista Lago', 'Vista Lago', 'Bellagio', 'Malpensa', 'Linate', 'Serbelloni', 'Milano', 'Milan'],
  },
  {
    vertical: 'real_estate',
    name: 'Casa Atlântica Imobiliária',
    industry: 'real_estate',
    timezone: 'Europe/Lisbon',
    locale: 'pt-PT',
    currency: 'EUR',
    documents: [
      { file: 'realestate-honorarios.md', language: 'portuguese' },
      { file: 'realestate-policies.md', language: 'english' },
    ],
    properNames: [
      'Casa Atlântica Imobiliária',
      'Casa Atlântica',
      'Cascais',
      'Lisboa',
      'Lisbon',
      'Avenida Valbom',
      'Rua Castilho',
      'NIF',
      'IVA',
    ],
  },
];

export interface EvalTenant {
  spec: EvalTenantSpec;
  clientId: string;
  siteKey: string;
  apiKey: string;
  services: string[];
}

interface CreatedClient {
  client: { id: string; siteKey: string; config: { services: string[] } };
  apiKey: string;
}

/** Creates one tenant over REST and loads its documents; resolves when every document is searchable. */
export async function setUpTenant(
  rest: RestClient,
  adminToken: string,
  spec: EvalTenantSpec,
  knowledgeDir: string,
  runTag: string,
): Promise<EvalTenant> {
  const created = await rest.json<CreatedClient>('POST', '/admin/clients', adminToken, {
    name: spec.name,
    slug: `eval-${spec.vertical.replace('_', '-')}-${runTag}`,
    industry: spec.industry,
    timezone: spec.timezone,
    locale: spec.locale,
    plan: 'scale',
    allowedOrigins: ['*'],
    // Where the server ships starter knowledge with a template, ask for an empty start (ignored where it does not).
    starterKnowledge: false,
  });
  const key = created.apiKey;
  // The template's sample FAQs and any starter knowledge state facts (prices, hours) of a business
  // that is not this one; a label could not say whether an answer drawn from them is right. Deleting
  // what is there covers a server that adds starter knowledge without the flag.
  await rest.json('PATCH', '/client', key, { config: { faqs: [] } });
  const existing = await rest.json<{ data: { id: string }[] }>('GET', '/knowledge-bases?pageSize=100', key);
  for (const kb of existing.data) await rest.request('DELETE', `/knowledge-bases/${kb.id}`, key);

  for (const doc of spec.documents) {
    const kb = await rest.json<{ id: string }>('POST', '/knowledge-bases', key, {
      name: path.parse(doc.file).name,
      description: `${spec.name}: ${doc.file}`,
      language: doc.language,
    });
    const bytes = await readFile(path.join(knowledgeDir, doc.file));
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(bytes)], { type: 'text/markdown' }), doc.file);
    const ingestion = await rest.json<{ id: string }>('POST', `/knowledge-bases/${kb.id}/documents`, key, form);
    await waitForIngestion(rest, key, kb.id, ingestion.id, doc.file);
  }
  return {
    spec,
    clientId: created.client.id,
    siteKey: created.client.siteKey,
    apiKey: key,
    services: created.client.config.services,
  };
}

async function waitForIngestion(rest: RestClient, key: string, kbId: string, id: string, file: string) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const body = await rest.json<{ status: string; error?: string | null }>(
      'GET',
      `/knowledge-bases/${kbId}/ingestions/${id}`,
      key,
    );
    if (body.status === 'completed') return;
    if (body.status === 'failed') throw new Error(`ingesting ${file} failed: ${body.error ?? 'no reason given'}`);
    if (Date.now() > deadline) throw new Error(`ingesting ${file} is still ${body.status} after 60 s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

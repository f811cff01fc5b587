/**
 * A first `pnpm start` (embedded database, no AI key: the structured mode
 * answers) as an operator sees it: the banner, the demo tenant's starter
 * knowledge bases in six languages, a month of history behind the staff REST
 * API, and the widget answering a price question from the knowledge base.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CHANNELS, type KnowledgeHitDto, type LeadDto, type StaffConversationDto } from '@leaddesk/shared';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DENTAL_PRICES, money } from '../src/tenants/starter-knowledge/index.js';
import { type ServerProcess, startServerProcess } from './support/server-process.js';
import { connectVisitor, nextAiReply } from './support/widget-client.js';

// One spawned server for the file; a tsx start on a busy two-core machine is slow.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 300_000 });

let server: ServerProcess;
let dataDir: string;
let apiKey: string;
let siteKey: string;
/** The URL the banner prints (localhost), which the demo tenant allows as a widget origin. */
let printedUrl: string;

// biome-ignore lint/suspicious/noExplicitAny: JSON bodies of several shapes, asserted field by field
async function api<T = any>(p: string): Promise<T> {
  const res = await fetch(`${server.url}/api/v1${p}`, { headers: { authorization: `Bearer ${apiKey}` } });
  if (res.status !== 200) throw new Error(`GET ${p}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

const cleaningPrices = [DENTAL_PRICES.cleaningOnly, DENTAL_PRICES.checkupAndCleaning];

beforeAll(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'ld-first-run-'));
  server = await startServerProcess(
    // No load balancer watches /readyz here: the default 5 s of 503 before draining would only wait.
    { DATA_DIR: dataDir, SHUTDOWN_READY_GRACE_MS: '200' },
    { expectDemo: true, timeoutMs: 240_000 },
  );
  apiKey = server.demo?.apiKey ?? '';
  siteKey = server.demo?.siteKey ?? '';
  printedUrl = server.out().match(/health:\s+(http:\/\/\S+)\/healthz/)?.[1] ?? '';
  // The seed time goes to the test log, for the record.
  console.info(server.out().match(/history:.*/)?.[0]);
});

afterAll(async () => {
  await server?.kill('SIGTERM');
  if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
});

describe('first run: the banner', () => {
  it('prints the demo page and dashboard URLs, which the server serves', async () => {
    const out = server.out();
    expect(printedUrl).toMatch(/^http:\/\/localhost:\d+$/);
    expect(out).toContain(`demo page:    ${printedUrl}/demo/`);
    expect(out).toContain(`dashboard:    ${printedUrl}/dashboard/`);
    expect(out).toMatch(/knowledge:\s+6 starter knowledge bases \(en, es, fr, de, pt, it\)/);
    const history = out.match(
      /history:\s+(\d+) conversations, (\d+) leads, (\d+) escalations .*seeded in (\d+) ms, history (\d+) ms/,
    );
    expect(history).not.toBeNull();
    expect(Number(history?.[1])).toBeGreaterThanOrEqual(30);
    // A month of history is a few multi-row inserts: it must not hold a first start up (generous for a loaded CI box).
    expect(Number(history?.[5])).toBeLessThan(3000);
    const demo = await fetch(`${server.url}/demo/`);
    expect(demo.status).toBe(200);
    expect(await demo.text()).toContain(`data-site-key="${siteKey}"`);
  });
});

describe('first run: starter knowledge', () => {
  it('gives the demo tenant one knowledge base per language, each with its documents chunked', async () => {
    const bases = await api<{ data: Array<{ language: string; chunkCount: number; category: string }> }>(
      '/knowledge-bases?pageSize=50',
    );
    expect(bases.data.map((b) => b.language).sort()).toEqual(
      ['english', 'french', 'german', 'italian', 'portuguese', 'spanish'].sort(),
    );
    for (const base of bases.data) {
      expect(base.category).toBe('starter');
      expect(base.chunkCount).toBeGreaterThanOrEqual(8);
    }
  });

  it('finds the cleaning price, not the whitening one, for "How much does a cleaning cost?"', async () => {
    const result = await api<{ hits: KnowledgeHitDto[] }>(
      `/knowledge/search?q=${encodeURIComponent('How much does a cleaning cost?')}`,
    );
    const top = result.hits[0];
    expect(top?.source.heading).toMatch(/cleaning/i);
    expect(top?.content).toContain(money('en', DENTAL_PRICES.cleaningOnly));
    expect(top?.content).not.toContain(money('en', DENTAL_PRICES.whiteningInOffice));
  });

  it('finds the cleaning price in the Spanish base for "¿Cuánto cuesta una limpieza?"', async () => {
    const bases = await api<{ data: Array<{ id: string; language: string }> }>('/knowledge-bases?pageSize=50');
    const spanish = bases.data.find((b) => b.language === 'spanish');
    expect(spanish).toBeDefined();
    const result = await api<{ hits: KnowledgeHitDto[] }>(
      `/knowledge/search?q=${encodeURIComponent('¿Cuánto cuesta una limpieza?')}&knowledgeBaseId=${spanish?.id}`,
    );
    const top = result.hits[0];
    expect(top?.knowledgeBaseId).toBe(spanish?.id);
    expect(top?.source.heading).toMatch(/limpieza/i);
    expect(top?.content).toContain(`cuesta ${money('es', DENTAL_PRICES.cleaningOnly)}`);
  });
});

describe('first run: a month of history', () => {
  it('shows conversations on every channel in the inbox, one of them taken over by staff', async () => {
    const inbox = await api<{ data: StaffConversationDto[]; total: number }>('/inbox?pageSize=100');
    expect(inbox.total).toBeGreaterThanOrEqual(25);
    const channels = new Set(inbox.data.map((c) => c.channel));
    for (const channel of ['web', 'whatsapp', 'sms', 'voice', 'email', 'web_form'] as const) {
      expect(channels, channel).toContain(channel);
    }
    expect([...channels].every((c) => (CHANNELS as readonly string[]).includes(c))).toBe(true);
    const takenOver = inbox.data.filter((c) => c.mode === 'human');
    expect(takenOver.length).toBeGreaterThanOrEqual(1);
    expect(takenOver[0]?.holder?.name).toBe('Demo Admin');
    // Sorted by the last message, newest first, none in the future, spread over about a month.
    const times = inbox.data.map((c) => Date.parse(c.lastMessageAt ?? ''));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(Math.max(...times)).toBeLessThanOrEqual(Date.now());
    expect((Date.now() - Math.min(...times)) / 86_400_000).toBeGreaterThan(25);
    expect(new Set(inbox.data.map((c) => c.lastMessageAt?.slice(0, 10))).size).toBeGreaterThanOrEqual(15);
  });

  it('keeps each conversation whole: messages numbered 1..lastSeq, the last one at lastMessageAt', async () => {
    const inbox = await api<{ data: StaffConversationDto[] }>('/inbox?pageSize=100');
    for (const conversation of inbox.data) {
      const messages = await api<{ data: Array<{ seq: number; createdAt: string }> }>(
        `/conversations/${conversation.id}/messages?limit=500`,
      );
      expect(messages.data.map((m) => m.seq)).toEqual(Array.from({ length: conversation.lastSeq }, (_, i) => i + 1));
      expect(messages.data.at(-1)?.createdAt).toBe(conversation.lastMessageAt);
      expect(conversation.leadId).not.toBeNull();
    }
  });

  it('has leads at every stage, hot, warm and cold, with the evidence for each score', async () => {
    const leads = await api<{ data: LeadDto[]; total: number }>('/leads?pageSize=100');
    const statuses = new Set(leads.data.map((l) => l.status));
    for (const status of ['new', 'qualifying', 'qualified', 'appointment_booked', 'closed_won', 'closed_lost']) {
      expect(statuses, status).toContain(status);
    }
    const temperatures = new Set(leads.data.map((l) => l.temperature));
    expect(temperatures).toEqual(new Set(['hot', 'warm', 'cold', 'unscored']));
    for (const lead of leads.data.filter((l) => l.temperature !== 'unscored')) {
      const points = lead.scoreEvidence.reduce((sum, e) => sum + e.points, 0);
      expect(Math.min(100, points)).toBe(lead.score);
    }
    expect(new Set(leads.data.map((l) => l.language))).toEqual(new Set(['en', 'es', 'fr', 'de', 'pt']));
    const booked = leads.data.filter((l) => l.status === 'appointment_booked');
    expect(booked.every((l) => l.appointmentAt !== null)).toBe(true);
  });

  it('has open and resolved escalations, and analytics with true numbers', async () => {
    const escalations = await api<{ data: Array<{ status: string; reason: string }> }>('/escalations?pageSize=100');
    const statuses = new Set(escalations.data.map((e) => e.status));
    expect(statuses).toContain('resolved');
    expect(statuses.has('pending') || statuses.has('acknowledged')).toBe(true);
    const stats = await api('/escalations/stats');
    expect(stats.total).toBe(escalations.data.length);
    expect(stats.averageMinutesToResolve).toBeGreaterThan(0);

    const leads = await api<{ total: number }>('/leads?pageSize=1');
    const analytics = await api('/analytics?days=30');
    expect(analytics.kpis.leads).toBe(leads.total);
    expect(analytics.kpis.hotLeads).toBeGreaterThan(0);
    expect(analytics.kpis.appointments).toBeGreaterThan(0);
    expect(analytics.kpis.escalations).toBe(escalations.data.length);
    expect(analytics.kpis.avgFirstResponseSeconds).toBeGreaterThan(0);
    expect(analytics.leadsByDay.length).toBeGreaterThanOrEqual(15);
    expect(analytics.byChannel.length).toBeGreaterThanOrEqual(5);
    expect(analytics.afterHours.conversations).toBeGreaterThan(0);
    expect(analytics.copilot.sentAsIs + analytics.copilot.edited).toBeGreaterThan(0);
  });
});

describe('first run: the widget', () => {
  it('answers "How much does a cleaning cost?" with the cleaning price from the knowledge base', async () => {
    const visitor = connectVisitor(server.url, { siteKey, origin: printedUrl });
    try {
      await visitor.waitFor('connect');
      const ack = await visitor.send('How much does a cleaning cost?');
      expect(ack.ok).toBe(true);
      const seq = ack.ok ? ack.data.message.seq : 0;
      const reply = await nextAiReply(visitor, seq, 20_000);
      const text = reply.message.content;
      expect(
        cleaningPrices.some((p) => text.includes(money('en', p))),
        `reply: ${text}`,
      ).toBe(true);
      expect(text).not.toContain(money('en', DENTAL_PRICES.whiteningInOffice));
    } finally {
      visitor.close();
    }
  });

  it('answers "¿Cuánto cuesta una limpieza?" in Spanish with the cleaning price', async () => {
    const visitor = connectVisitor(server.url, { siteKey, origin: printedUrl });
    try {
      await visitor.waitFor('connect');
      const ack = await visitor.send('¿Cuánto cuesta una limpieza?');
      expect(ack.ok).toBe(true);
      const seq = ack.ok ? ack.data.message.seq : 0;
      const reply = await nextAiReply(visitor, seq, 20_000);
      const text = reply.message.content;
      // The Spanish base's sentence ("120 US$") or the price restated as a fact ("$ 120"): the cleaning price.
      expect(
        cleaningPrices.some((p) => text.includes(money('es', p)) || new RegExp(`\\$\\s?${p}\\b`).test(text)),
        `reply: ${text}`,
      ).toBe(true);
      expect(text).not.toMatch(new RegExp(`\\b${DENTAL_PRICES.whiteningInOffice}\\b`));
      expect(reply.message.ai?.language).toBe('es');
    } finally {
      visitor.close();
    }
  });
});

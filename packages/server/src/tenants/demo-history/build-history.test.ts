import { clientConfigSchema } from '@leaddesk/shared';
import { describe, expect, it } from 'vitest';
import { INDUSTRY_TEMPLATES } from '../industry-templates.js';
import { buildHistory } from './build-history.js';
import { isoDay, localDay, zonedInstant } from './clock.js';
import { DEMO_SCRIPTS } from './index.js';

const config = clientConfigSchema.parse(INDUSTRY_TEMPLATES.dental.config);
const staff = {
  admin: 'a0000000-0000-4000-8000-000000000001',
  maria: 'a0000000-0000-4000-8000-000000000002',
  james: 'a0000000-0000-4000-8000-000000000003',
};
const build = (now: Date) =>
  buildHistory({
    clientId: 'c0000000-0000-4000-8000-000000000001',
    clientName: 'Sunset Dental (demo)',
    timezone: 'America/New_York',
    config,
    staff,
    scripts: DEMO_SCRIPTS,
    now,
  });

describe('demo history', () => {
  // 03:00 in New York: the scripts set "today" at 7 to 9 am must be moved into the past.
  const now = new Date('2026-03-10T08:00:00Z');
  const rows = build(now);

  it('is the same history for the same moment (seeded), apart from the ids', () => {
    const again = build(now);
    const strip = (r: Record<string, unknown>[]) => r.map(({ id, conversation_id, lead_id, ...rest }) => rest);
    expect(strip(again.messages)).toEqual(strip(rows.messages));
    expect(strip(again.leads)).toEqual(strip(rows.leads));
  });

  it('numbers messages 1..last_seq per conversation and ends each at last_message_at, never in the future', () => {
    for (const c of rows.conversations) {
      const messages = rows.messages.filter((m) => m.conversation_id === c.id);
      expect(messages.map((m) => m.seq)).toEqual(messages.map((_, i) => i + 1));
      expect(c.last_seq).toBe(messages.length);
      expect(c.last_message_at).toEqual(messages.at(-1)?.created_at);
      const times = messages.map((m) => (m.created_at as Date).getTime());
      expect(times).toEqual([...times].sort((a, b) => a - b));
      expect(Math.max(...times)).toBeLessThan(now.getTime());
      expect(rows.leads.some((l) => l.id === c.lead_id)).toBe(true);
    }
  });

  it('spreads over the last 30 days, in and out of business hours', () => {
    const starts = rows.conversations.map((c) => c.created_at as Date);
    const ageDays = starts.map((d) => (now.getTime() - d.getTime()) / 86_400_000);
    expect(Math.max(...ageDays)).toBeGreaterThan(28);
    expect(Math.max(...ageDays)).toBeLessThan(31);
    const hours = starts.map((d) =>
      Number(
        new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', hour: '2-digit', hourCycle: 'h23' }).format(d),
      ),
    );
    expect(hours.some((h) => h >= 9 && h < 18)).toBe(true);
    expect(hours.some((h) => h < 9 || h >= 18)).toBe(true);
  });

  it('scores leads with the structured mode scorer: evidence adds up to the score', () => {
    for (const lead of rows.leads) {
      const evidence = lead.score_evidence as Array<{ points: number }>;
      if (lead.temperature === 'unscored') expect(lead.score).toBeNull();
      else
        expect(lead.score).toBe(
          Math.min(
            100,
            evidence.reduce((n, e) => n + e.points, 0),
          ),
        );
    }
  });

  it('resolves escalations after they were raised and holds the taken-over chat with its takeover event', () => {
    for (const e of rows.escalations) {
      if (e.status === 'resolved')
        expect((e.resolved_at as Date).getTime()).toBeGreaterThan((e.created_at as Date).getTime());
      else expect(e.resolved_at).toBeNull();
    }
    const human = rows.conversations.filter((c) => c.mode === 'human');
    expect(human).toHaveLength(1);
    expect(human[0]?.mode_holder_id).toBe(staff.admin);
    expect(rows.events.some((e) => e.kind === 'takeover' && e.conversation_id === human[0]?.id)).toBe(true);
  });
});

describe('zonedInstant', () => {
  it('finds the instant of a wall-clock time across a DST change', () => {
    // 2026-03-08 is the US spring-forward day: 10:00 in New York is 14:00 UTC (EDT), the day before 15:00 (EST).
    const day = localDay('America/New_York', new Date('2026-03-08T18:00:00Z'), 0);
    expect(zonedInstant('America/New_York', day, 10, 0).toISOString()).toBe('2026-03-08T14:00:00.000Z');
    const before = localDay('America/New_York', new Date('2026-03-08T18:00:00Z'), 1);
    expect(zonedInstant('America/New_York', before, 10, 0).toISOString()).toBe('2026-03-07T15:00:00.000Z');
    expect(isoDay('Europe/Madrid', new Date('2026-03-07T23:30:00Z'))).toBe('2026-03-08');
  });
});

import fs from 'node:fs';
import path from 'node:path';
import { type AutomationClock, automationClock } from '../../src/automation/sequences/automation-clock.js';
import { signMetaBody } from '../../src/channels/whatsapp/verify-signature.js';
import { wamid } from './fake-providers.js';

/**
 * What the follow-up, review, digest and retention tests share: automation
 * time that runs `scale` times faster than real time (the server reads the
 * same scale and anchor from its env, so test and server agree on the time),
 * and WhatsApp messages from a lead in Meta's own webhook shape.
 */
export function fastAutomationTime(scale: number): { env: Record<string, string>; clock: AutomationClock } {
  const anchorMs = Date.now();
  return {
    env: { AUTOMATION_TIME_SCALE: String(scale), AUTOMATION_TIME_ANCHOR_MS: String(anchorMs) },
    clock: automationClock({ scale, anchorMs }),
  };
}

export const WHATSAPP = {
  appSecret: 'lead-desk-fixture-app-secret',
  phoneNumberId: '106540352242922',
  accessToken: 'EAAGfixture-access-token-9f3k',
};

const fixture = JSON.parse(
  fs.readFileSync(path.join(import.meta.dirname, '../fixtures/whatsapp/webhook-text-message.json'), 'utf8'),
);

/** Posts Meta's text-message webhook (signed) from `from` to the server. */
export async function leadWritesOnWhatsApp(base: string, from: string, text: string): Promise<void> {
  const body = structuredClone(fixture);
  const value = body.entry[0].changes[0].value;
  value.metadata.phone_number_id = WHATSAPP.phoneNumberId;
  value.contacts[0].wa_id = from;
  value.messages[0].from = from;
  value.messages[0].id = wamid();
  value.messages[0].text.body = text;
  value.messages[0].timestamp = String(Math.floor(Date.now() / 1000));
  const raw = JSON.stringify(body);
  const res = await fetch(`${base}/webhooks/whatsapp`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': signMetaBody(raw, WHATSAPP.appSecret) },
    body: raw,
  });
  if (res.status !== 200) throw new Error(`webhook answered ${res.status}`);
}

/** The tenant API with its key. */
export function tenantApi(base: string, apiKey: string) {
  return async (p: string, init: { method?: string; body?: unknown } = {}) => {
    const res = await fetch(`${base}/api/v1${p}`, {
      method: init.method ?? 'GET',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    const text = await res.text();
    // biome-ignore lint/suspicious/noExplicitAny: test responses are read loosely
    return { status: res.status, body: (text ? JSON.parse(text) : null) as any };
  };
}

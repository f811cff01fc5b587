import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { mapWebhook } from './map-inbound.js';

const fixture = (name: string) =>
  JSON.parse(fs.readFileSync(path.join(import.meta.dirname, '../../../test/fixtures/whatsapp', name), 'utf8'));

const withMessage = (message: Record<string, unknown>) => {
  const body = fixture('webhook-text-message.json');
  body.entry[0].changes[0].value.messages = [
    { from: '16505551234', id: 'wamid.X', timestamp: '1749416383', ...message },
  ];
  return body;
};

describe('mapWebhook', () => {
  it('maps a text message with the profile name, wa_id and phone number id', () => {
    const out = mapWebhook(fixture('webhook-text-message.json'));
    expect(out.messages).toHaveLength(1);
    const m = out.messages[0];
    expect(m).toMatchObject({
      phoneNumberId: '106540352242922',
      waId: '16505551234',
      profileName: 'Sheena Nelson',
      requestReply: true,
    });
    expect(m?.externalId).toMatch(/^wamid\./);
    expect(m?.content.length).toBeGreaterThan(0);
    expect(out.statuses).toEqual([]);
  });

  it('strips text PostgreSQL cannot store from what it maps, keeping the message', () => {
    const body = withMessage({ type: 'text', text: { body: 'Hola\u0000 \ud83d' } });
    body.entry[0].changes[0].value.contacts[0].profile.name = 'Ana\u0000Lopez';
    const out = mapWebhook(body);
    expect(out.messages).toHaveLength(1);
    expect(out.messages[0]).toMatchObject({ profileName: 'AnaLopez', content: 'Hola \uFFFD' });
    expect(out.messages[0]?.sentAt).toBeInstanceOf(Date);
  });

  it('maps interactive button and list replies to their title with the reply id', () => {
    const button = mapWebhook(fixture('webhook-interactive-button-reply.json')).messages[0];
    const list = mapWebhook(fixture('webhook-interactive-list-reply.json')).messages[0];
    expect(list).toMatchObject({ content: 'Priority Mail Express', quickReplyId: 'priority_express' });
    expect(button?.quickReplyId).toBeTruthy();
    expect(button?.content).toBeTruthy();
  });

  it('maps an image to an attachment with its media id and caption', () => {
    const m = mapWebhook(fixture('webhook-image-message.json')).messages[0];
    expect(m?.content).toBe('Taj Mahal');
    expect(m?.attachments).toEqual([
      {
        kind: 'image',
        mediaId: '1003383421387256',
        mimeType: 'image/jpeg',
        name: undefined,
        meta: { sha256: 'SfInY0gGKTsJlUWbwxC1k+FAD0FZHvzwfpvO0zX0GUI=' },
      },
    ]);
  });

  it('maps documents, audio, video, location, contacts and reactions', () => {
    const doc = mapWebhook(
      withMessage({ type: 'document', document: { id: 'M1', filename: 'plan.pdf', mime_type: 'application/pdf' } }),
    ).messages[0];
    expect(doc?.attachments[0]).toMatchObject({ kind: 'document', mediaId: 'M1', name: 'plan.pdf' });
    expect(
      mapWebhook(withMessage({ type: 'audio', audio: { id: 'A1', mime_type: 'audio/ogg' } })).messages[0]
        ?.attachments[0],
    ).toMatchObject({ kind: 'audio', mediaId: 'A1' });
    expect(mapWebhook(withMessage({ type: 'video', video: { id: 'V1' } })).messages[0]?.attachments[0]).toMatchObject({
      kind: 'video',
      mediaId: 'V1',
    });
    const loc = mapWebhook(
      withMessage({
        type: 'location',
        location: { latitude: 38.9, longitude: -77.03, name: 'Philz', address: '1 Main St' },
      }),
    ).messages[0];
    expect(loc?.content).toBe('Location: Philz, 1 Main St');
    expect(loc?.attachments[0]).toMatchObject({ kind: 'location', meta: { latitude: 38.9, longitude: -77.03 } });
    const contacts = mapWebhook(
      withMessage({
        type: 'contacts',
        contacts: [
          { name: { formatted_name: 'Ann Lee' }, phones: [{ phone: '+1 650 555 0000', wa_id: '16505550000' }] },
        ],
      }),
    ).messages[0];
    expect(contacts?.content).toBe('Shared contact: Ann Lee');
    expect(contacts?.attachments[0]).toMatchObject({ kind: 'contact', meta: { phones: ['+1 650 555 0000'] } });
    const reaction = mapWebhook(withMessage({ type: 'reaction', reaction: { message_id: 'wamid.Y', emoji: '👍' } }))
      .messages[0];
    expect(reaction).toMatchObject({ content: 'Reacted 👍', requestReply: false });
  });

  it('maps statuses with their error code, and skips what it cannot read without dropping the rest', () => {
    const failed = mapWebhook(fixture('webhook-status-failed-131049.json')).statuses[0];
    expect(failed).toMatchObject({ status: 'failed', error: { code: 131049 } });
    expect(mapWebhook(fixture('webhook-status-read.DERIVED.json')).statuses[0]?.status).toBe('read');
    expect(mapWebhook(fixture('webhook-status-sent.json')).statuses[0]?.status).toBe('sent');
    const mixed = withMessage({ type: 'unsupported_future_type' });
    mixed.entry[0].changes[0].value.messages.push({
      from: '1',
      id: 'wamid.Z',
      timestamp: '1',
      type: 'text',
      text: { body: 'still here' },
    });
    const out = mapWebhook(mixed);
    expect(out.messages.map((m) => m.content)).toEqual(['still here']);
    expect(out.skipped).toEqual(['unsupported message type unsupported_future_type']);
    expect(mapWebhook({ hello: 'world' }).skipped).toEqual(['not a WhatsApp webhook']);
  });
});

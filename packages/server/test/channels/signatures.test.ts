import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseForm, signTwilioRequest, verifyTwilioSignature } from '../../src/channels/sms/twilio-signature.js';
import { signMetaBody, verifyMetaSignature } from '../../src/channels/whatsapp/verify-signature.js';

const fixtures = path.join(import.meta.dirname, '../fixtures');
const read = (p: string) => fs.readFileSync(path.join(fixtures, p));

describe('Meta X-Hub-Signature-256', () => {
  const vectors = JSON.parse(read('whatsapp/signature-vectors.COMPUTED.json').toString()) as {
    app_secret: string;
    vectors: Array<{ body_file: string; body_sha256_of_bytes?: string; 'X-Hub-Signature-256': string }>;
    negative: { body_file: string; 'X-Hub-Signature-256': string };
  };

  it.each(vectors.vectors)('accepts the vector for $body_file over the raw bytes', (v) => {
    const raw = read(`whatsapp/${v.body_file}`);
    if (v.body_sha256_of_bytes) expect(createHash('sha256').update(raw).digest('hex')).toBe(v.body_sha256_of_bytes);
    expect(verifyMetaSignature(raw, v['X-Hub-Signature-256'], [vectors.app_secret])).toBe(true);
    expect(signMetaBody(raw, vectors.app_secret)).toBe(v['X-Hub-Signature-256']);
  });

  it('refuses the negative vector, a re-serialised body, a wrong secret, bad lengths and a missing header', () => {
    const raw = read(`whatsapp/${vectors.negative.body_file}`);
    const good = signMetaBody(raw, vectors.app_secret);
    expect(verifyMetaSignature(raw, vectors.negative['X-Hub-Signature-256'], [vectors.app_secret])).toBe(false);
    // Signing is over the bytes as received: the escaped-unicode body parsed and re-serialised differs.
    const escaped = read('whatsapp/webhook-text-message-unicode-escaped.compact.json');
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(escaped.toString())));
    expect(reserialised.equals(escaped)).toBe(false);
    expect(verifyMetaSignature(reserialised, signMetaBody(escaped, vectors.app_secret), [vectors.app_secret])).toBe(
      false,
    );
    expect(verifyMetaSignature(raw, good, ['another-secret'])).toBe(false);
    expect(verifyMetaSignature(raw, good.slice(0, -2), [vectors.app_secret])).toBe(false);
    expect(verifyMetaSignature(raw, `${good}00`, [vectors.app_secret])).toBe(false);
    expect(verifyMetaSignature(raw, good.replace('sha256=', 'sha1='), [vectors.app_secret])).toBe(false);
    expect(verifyMetaSignature(raw, `sha256=${'zz'.repeat(32)}`, [vectors.app_secret])).toBe(false);
    expect(verifyMetaSignature(raw, undefined, [vectors.app_secret])).toBe(false);
    expect(verifyMetaSignature(raw, good, [])).toBe(false);
    // Any of several candidate secrets (tenant's own, platform's) may match.
    expect(verifyMetaSignature(raw, good, ['tenant-secret', vectors.app_secret])).toBe(true);
  });
});

describe('Twilio X-Twilio-Signature', () => {
  const file = JSON.parse(read('twilio/signature-test-vectors.json').toString()) as {
    vectors: Array<{
      name: string;
      authToken: string;
      url: string;
      params: Record<string, string | string[]>;
      expectedSignature?: string;
      signatureHeader?: string;
      expectedValid?: boolean;
    }>;
  };

  it.each(file.vectors.filter((v) => v.expectedValid !== false))('$name', (v) => {
    expect(verifyTwilioSignature(v.authToken, v.expectedSignature, v.url, v.params)).toBe(true);
    // One changed parameter or a different token breaks it.
    const tampered = { ...v.params, Extra: 'x' };
    expect(verifyTwilioSignature(v.authToken, v.expectedSignature, v.url, tampered)).toBe(false);
    expect(verifyTwilioSignature('54321', v.expectedSignature, v.url, v.params)).toBe(false);
  });

  it.each(file.vectors.filter((v) => v.expectedValid === false))('$name', (v) => {
    expect(verifyTwilioSignature(v.authToken, v.signatureHeader, v.url, v.params)).toBe(false);
  });

  it('signs the documented worked example to its published value', () => {
    const docs = file.vectors.find((v) => v.name.startsWith('Twilio docs worked example'));
    expect(docs).toBeDefined();
    if (docs) expect(signTwilioRequest(docs.authToken, docs.url, docs.params)).toBe(docs.expectedSignature);
  });

  it('verifies the computed signatures of the voice callbacks parsed from their raw form bodies', () => {
    const computed = JSON.parse(read('twilio/voice-callback-signatures.COMPUTED.json').toString()) as {
      authToken: string;
      requests: Array<{ file: string; url: string; xTwilioSignature: string }>;
      negative: { file: string; url: string; xTwilioSignature: string };
    };
    for (const r of computed.requests) {
      expect(
        verifyTwilioSignature(computed.authToken, r.xTwilioSignature, r.url, parseForm(read(`twilio/${r.file}`))),
      ).toBe(true);
    }
    const n = computed.negative;
    expect(
      verifyTwilioSignature(computed.authToken, n.xTwilioSignature, n.url, parseForm(read(`twilio/${n.file}`))),
    ).toBe(false);
    expect(verifyTwilioSignature(computed.authToken, undefined, n.url, parseForm(read(`twilio/${n.file}`)))).toBe(
      false,
    );
  });
});

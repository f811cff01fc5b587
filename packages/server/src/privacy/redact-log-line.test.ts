import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../logger.js';
import { redactLogLine } from './redact-log-line.js';

describe('redactLogLine', () => {
  it('replaces email addresses anywhere in the line, keeping it valid JSON', () => {
    const line = JSON.stringify({ to: 'Zoe.Ng+leads@mail.example.co.uk', msg: 'sent to zoe@example.org, ok' });
    const out = redactLogLine(line);
    expect(JSON.parse(out)).toEqual({ to: '[email]', msg: 'sent to [email], ok' });
  });

  it('replaces international phone numbers with or without separators', () => {
    const line = JSON.stringify({ msg: 'call +14155550187 or +44 20 7946 0958 or +1 (415) 555-0199' });
    expect(JSON.parse(redactLogLine(line)).msg).toBe('call [phone] or [phone] or [phone]');
  });

  it('replaces the whole value of fields named for a phone, which providers send without "+"', () => {
    const line = JSON.stringify({ wa_id: '16505551234', fromPhone: '4155550187', phoneNumberId: '1234567', n: 1 });
    expect(JSON.parse(redactLogLine(line))).toEqual({
      wa_id: '[phone]',
      fromPhone: '[phone]',
      phoneNumberId: '[phone]',
      n: 1,
    });
  });

  it('leaves timestamps, ids, zones and counts alone', () => {
    const line = JSON.stringify({
      level: 30,
      time: 1796251347894,
      pid: 4242,
      id: '0ffc4445-d900-455a-ad99-345b9d826398',
      at: '2026-12-02T22:50:05.775+01:00',
      msg: 'took 15000 ms, 3+4 retries',
    });
    expect(redactLogLine(line)).toBe(line);
  });
});

describe('createLogger', () => {
  const capture = () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _enc, cb) {
        lines.push(String(chunk));
        cb();
      },
    });
    return { lines, stream };
  };

  it('redacts personal data in every line by default, and keeps it when LOG_REDACT_PERSONAL_DATA is false', () => {
    const on = capture();
    createLogger({ level: 'info', pretty: false, destination: on.stream }).warn(
      { to: 'zoe@example.org', err: new Error('no route to +14155550187') },
      'email not sent to zoe@example.org',
    );
    expect(on.lines.join('')).not.toMatch(/zoe@example\.org|4155550187/);
    expect(JSON.parse(on.lines[0] ?? '{}')).toMatchObject({ to: '[email]', msg: 'email not sent to [email]' });

    const off = capture();
    createLogger({ level: 'info', pretty: false, destination: off.stream, redactPersonalData: false }).warn(
      { to: 'zoe@example.org' },
      'email not sent',
    );
    expect(JSON.parse(off.lines[0] ?? '{}')).toMatchObject({ to: 'zoe@example.org' });
  });
});

import pino, { type Logger } from 'pino';
import { redactLogLine } from './privacy/redact-log-line.js';

/**
 * JSON logs, pretty when a person is watching a terminal. Secrets are redacted
 * by path wherever they could appear in a logged object; email addresses and
 * phone numbers anywhere in a line unless `redactPersonalData` is false
 * (privacy/redact-log-line.ts).
 */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-hub-signature-256"]',
  'req.headers["x-twilio-signature"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.passwordHash',
  '*.apiKey',
  '*.apiKeyHash',
  '*.token',
  '*.accessToken',
  '*.refreshToken',
  '*.visitorToken',
  '*.secret',
  '*.totpSecret',
  'req.query["hub.verify_token"]',
];

/** Query parameters that carry a secret (Meta's webhook verification sends the verify token in the URL). */
const SECRET_QUERY = /([?&](?:hub\.verify_token|hub%2Everify_token|token)=)[^&#]*/gi;

/** A request URL as it may be logged: secret query values replaced. */
export function redactUrl(url: string): string {
  return url.replace(SECRET_QUERY, '$1[redacted]');
}

export function createLogger(options: {
  level: string;
  pretty?: boolean;
  name?: string;
  /** Where JSON lines go instead of stdout (tests capture them). */
  destination?: pino.DestinationStream;
  /** Replace email addresses and phone numbers in every line (LOG_REDACT_PERSONAL_DATA). @default true */
  redactPersonalData?: boolean;
}): Logger {
  const pretty = options.pretty ?? (process.stdout.isTTY === true && process.env.CI !== 'true');
  const pinoOptions = {
    name: options.name ?? 'leaddesk',
    level: options.level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    hooks: options.redactPersonalData === false ? {} : { streamWrite: redactLogLine },
  };
  if (options.destination) return pino(pinoOptions, options.destination);
  return pino({
    ...pinoOptions,
    transport: pretty ? { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss' } } : undefined,
  });
}

export type { Logger };

/**
 * Personal data out of our log lines (issue 18), on by default
 * (`LOG_REDACT_PERSONAL_DATA`): each serialized JSON line, after pino's
 * path-based redaction of secrets, has email addresses and phone numbers
 * replaced. It runs on the line as text, so it reaches every field and
 * message (error messages and stacks, provider answers, request URLs) at
 * the cost of one pass of three regular expressions per line.
 *
 * Phone numbers are recognised in international form (`+` then 8 to 15
 * digits, spaces, dots, dashes or brackets between them: how Lead Desk stores
 * them), and whole values of fields whose name says phone (`phone`,
 * `fromPhone`, `wa_id`, `msisdn`, …), which providers send without `+`. Bare
 * digit runs elsewhere are left alone: they are timestamps, ids and counts.
 */
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
const PHONE = /\+\d(?:[ ().-]{0,2}\d){7,16}/g;
const PHONE_FIELD = /("[A-Za-z_]*(?:phone|Phone|PHONE|wa_id|waId|msisdn|Msisdn)[A-Za-z_]*":)"[^"\\]*(?:\\.[^"\\]*)*"/g;

export function redactLogLine(line: string): string {
  // Fast path: nothing that could be an address or a number.
  if (!line.includes('@') && !line.includes('+') && !/phone|wa_id|waId|msisdn/i.test(line)) return line;
  return line.replace(PHONE_FIELD, '$1"[phone]"').replace(EMAIL, '[email]').replace(PHONE, '[phone]');
}

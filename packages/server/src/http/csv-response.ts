import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import type { Response } from 'express';

/**
 * A CSV download, streamed: rows are written as each batch arrives, so an
 * export of any size holds one batch in memory and the first bytes leave at
 * once. RFC 4180 quoting is csv-stringify's; what we add is the guard against
 * formula injection (OWASP "CSV injection"): a text cell a spreadsheet would
 * run as a formula (`=`, `+`, `-`, `@`, tab, carriage return first) is
 * prefixed with `'`, so a lead who typed `=HYPERLINK(...)` as their name
 * stays text in Excel. Numbers are written as numbers, and a phone number in
 * E.164 (`+34…`) is left as it is.
 */
export interface CsvColumn<T> {
  header: string;
  value: (row: T) => string | number | null | undefined;
}

const FORMULA_START = /^[=+\-@\t\r]/;
/** A signed number or an E.164 phone ("+34600111222"): a spreadsheet computes nothing from it. */
const PLAIN_NUMBER = /^[+-]?[\d .]+$/;

export function neutralizeFormula(value: string): string {
  return FORMULA_START.test(value) && !PLAIN_NUMBER.test(value) ? `'${value}` : value;
}

export async function sendCsv<T>(
  res: Response,
  filename: string,
  columns: CsvColumn<T>[],
  batches: AsyncIterable<T[]>,
): Promise<void> {
  res.status(200);
  res.setHeader('content-type', 'text/csv; charset=utf-8');
  res.setHeader('content-disposition', `attachment; filename="${filename.replace(/[^A-Za-z0-9._-]/g, '_')}"`);
  res.setHeader('cache-control', 'no-store');
  // A byte-order mark: Excel opens UTF-8 (accents, non-Latin names) correctly only with it.
  res.write('\uFEFF');
  const csv = stringify({ header: true, columns: columns.map((c) => c.header) });
  async function* records() {
    for await (const batch of batches) {
      for (const row of batch) {
        yield columns.map((c) => {
          const v = c.value(row);
          return typeof v === 'string' ? neutralizeFormula(v) : (v ?? '');
        });
      }
    }
  }
  await pipeline(records(), csv, res);
}

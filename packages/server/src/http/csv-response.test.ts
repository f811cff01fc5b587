import { describe, expect, it } from 'vitest';
import { neutralizeFormula } from './csv-response.js';

describe('neutralizeFormula', () => {
  it('keeps a spreadsheet from running a cell that starts like a formula', () => {
    for (const cell of ['=1+1', '+1+1', '-1+2', '@SUM(A1:A9)', '\t=cmd', '\r=cmd', '=HYPERLINK("x")']) {
      expect(neutralizeFormula(cell)).toBe(`'${cell}`);
    }
  });

  it('leaves plain text, numbers and E.164 phone numbers as they are', () => {
    for (const cell of ['Ana', 'a=b', '+34600111222', '-12.5', '+1 415 555 0188', '']) {
      expect(neutralizeFormula(cell)).toBe(cell);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { positional } from './sql.js';

describe('positional placeholders', () => {
  it('numbers each ? in order', () => {
    expect(positional('select * from t where a = ? and b = ?::jsonb limit ?')).toBe(
      'select * from t where a = $1 and b = $2::jsonb limit $3',
    );
  });

  it('leaves ? alone inside strings, quoted identifiers and comments, and reads ?? as the jsonb ? operator', () => {
    expect(positional(`select '?' as "what?", x ?? 'k' from t -- any rows?\nwhere y = ? and z = 'it''s ?'`)).toBe(
      `select '?' as "what?", x ? 'k' from t -- any rows?\nwhere y = $1 and z = 'it''s ?'`,
    );
  });
});

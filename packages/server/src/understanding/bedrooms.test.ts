import { describe, expect, it } from 'vitest';
import { read } from './test-support.js';

const bedrooms = (text: string) => read(text, { industry: 'real_estate' }).bedrooms;

describe('bedrooms, not rooms (docs/eval.md)', () => {
  it.each([
    ['en', 'Looking for a 4-bed house near the beach', 4],
    ['es', 'Busco un piso de 4 dormitorios', 4],
    ['es', 'Depto de 4 ambientes en Palermo', 3],
    ['fr', 'Nous cherchons un 4 pièces à Lyon', 3],
    ['fr', 'Je cherche un T4 lumineux', 3],
    ['fr', 'Un F2 avec balcon', 1],
    ['de', 'Wir suchen eine 4-Zimmer-Wohnung', 3],
    ['de', 'Gesucht: 2 Zimmer Wohnung zur Miete', 1],
    ['pt', 'Procuro um T4 em Setúbal', 4],
    ['pt', 'Apartamento com 4 assoalhadas', 3],
    ['it', 'Cerco un quadrilocale a Milano', 3],
    ['it', 'Un monolocale in centro', 0],
    ['it', 'Appartamento di 4 locali', 3],
    ['it', 'Casa con 3 camere da letto', 3],
  ])('%s: %s → %i', (_l, text, n) => {
    expect(bedrooms(text)).toBe(n);
  });
});

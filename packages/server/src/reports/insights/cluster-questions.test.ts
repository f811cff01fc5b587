import { describe, expect, it } from 'vitest';
import {
  type AskedWording,
  clusterQuestions,
  jaccard,
  SAME_QUESTION,
  summariseClusters,
  termGroups,
} from './cluster-questions.js';
import { isQuestion, questionLanguage, questionTerms } from './normalize-question.js';

describe('question normalisation', () => {
  it('folds case and accents, drops stop and question words of the six languages, stems in the language', () => {
    expect(questionTerms('How much is a cleaning?', 'en')).toEqual(['clean']);
    expect(questionTerms('How much does a cleaning cost?', 'en')).toEqual(['clean', 'cost']);
    // Accented or not, singular or plural: one set of terms.
    expect(questionTerms('¿Cuánto cuesta una limpieza?', 'es')).toEqual(['cuest', 'limpiez']);
    expect(questionTerms('cuanto cuestan las limpiezas', 'es')).toEqual(['cuest', 'limpiez']);
    expect(questionTerms('Hola, how much? Gracias', 'en')).toEqual([]);
  });

  it('cannot join translations, only cognates: normalised text is words of one language', () => {
    const en = questionTerms('How much is a cleaning?', 'en');
    const es = questionTerms('¿Cuánto cuesta una limpieza?', 'es');
    expect(jaccard(en, es)).toBe(0);
    expect(questionTerms('Do you do implants?', 'en')).toEqual(['implant']);
    expect(questionTerms('Avez-vous des implants ?', 'fr')).toEqual(['implant']);
  });

  it('tells questions from other messages, and guesses the language from stop and question words', () => {
    expect(isQuestion('what are your opening hours')).toBe(true);
    expect(isQuestion('¿Hacéis implantes')).toBe(true);
    expect(isQuestion("I'd like to book")).toBe(false);
    expect(questionLanguage('Avez-vous des implants ?', null, 'en')).toBe('fr');
    expect(questionLanguage('Quanto custa um implante?', null, 'en')).toBe('pt');
    // The conversation's language, when known, wins over the guess.
    expect(questionLanguage('Avez-vous des implants ?', 'es-MX', 'en')).toBe('es');
    expect(questionLanguage('zzz?', undefined, 'de')).toBe('de');
  });
});

describe('clusterQuestions', () => {
  it('groups by shared terms (Jaccard ≥ 0.5 with the leader), biggest first, with the most asked wording', () => {
    const q = (text: string, language: 'en' | 'es' | 'fr', unanswered = false) => ({ text, language, unanswered });
    const { clusters, unclustered } = clusterQuestions(
      [
        q('How much is a cleaning?', 'en'),
        q('how much is a  cleaning?', 'en'),
        q('How much does a cleaning cost?', 'en', true),
        q('¿Cuánto cuesta una limpieza?', 'es'),
        q('Avez-vous des implants ?', 'fr'),
        q('¿Hacéis implantes?', 'es'),
        q('How much?', 'en'),
      ],
      10,
    );
    expect(unclustered).toBe(1);
    expect(clusters).toEqual([
      {
        representative: 'How much is a cleaning?',
        count: 3,
        terms: ['clean'],
        languages: ['en'],
        examples: ['How much does a cleaning cost?'],
        unanswered: 1,
        answered: false,
      },
      {
        // [implant] leads; [hac, implant] shares one of two terms: 0.5, it joins.
        representative: '¿Hacéis implantes?',
        count: 2,
        terms: ['implant'],
        languages: ['es', 'fr'],
        examples: ['Avez-vous des implants ?'],
        unanswered: 0,
        answered: true,
      },
      {
        representative: '¿Cuánto cuesta una limpieza?',
        count: 1,
        terms: ['cuest', 'limpiez'],
        languages: ['es'],
        examples: [],
        unanswered: 0,
        answered: true,
      },
    ]);
    expect(
      clusterQuestions([q('How much is a cleaning?', 'en'), q('Do you do implants?', 'en')], 1).clusters,
    ).toHaveLength(1);
  });

  it('finds the same clusters through its index by term as a scan of every cluster, and weighs rolled-up wordings', () => {
    // Many overlapping term sets (2 of 12 common stems and two rarer ones), weighted as the rollup gives them.
    const stems = [
      'price',
      'clean',
      'implant',
      'whiten',
      'open',
      'saturday',
      'insur',
      'park',
      'crown',
      'brace',
      'pain',
      'child',
    ];
    const wordings: AskedWording[] = Array.from({ length: 600 }, (_, i) => ({
      text: `Question ${i}?`,
      language: 'en',
      n: 1 + (i % 4),
      unanswered: i % 5 === 0 ? 1 : 0,
      terms: [...new Set([stems[i % 12], stems[(i * 7 + 3) % 12], `own${i % 97}`, `x${i % 31}`])].sort() as string[],
    }));
    // The definition, spelled out: each group, biggest first, joins the first cluster whose leader it resembles.
    const { groups } = termGroups(wordings);
    const scan: Array<{ leader: string[]; members: AskedWording[] }> = [];
    for (const g of groups) {
      const home = scan.find((c) => jaccard(c.leader, g.terms) >= SAME_QUESTION);
      if (home) home.members.push(...g.members);
      else scan.push({ leader: g.terms, members: [...g.members] });
    }
    expect(scan.length).toBeGreaterThan(20);
    expect(clusterQuestions(wordings, 1000).clusters).toEqual(summariseClusters(scan, 1000));
    // A wording asked n times counts n times: the same as n questions.
    const one = clusterQuestions([{ text: 'Do you do implants?', language: 'en', n: 3, unanswered: 1 }], 5);
    const three = clusterQuestions(
      [true, false, false].map((unanswered) => ({ text: 'Do you do implants?', language: 'en' as const, unanswered })),
      5,
    );
    expect(one).toEqual(three);
    expect(one.clusters[0]).toMatchObject({ count: 3, unanswered: 1, answered: false });
  });
});

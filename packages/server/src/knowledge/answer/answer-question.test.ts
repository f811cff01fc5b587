import { describe, expect, it } from 'vitest';
import { type AnswerCandidate, analyzeQuestion, answerQuestion } from './answer-question.js';
import { findConcepts } from './concept-labels.js';
import { splitSentences } from './sentences.js';

const priceList: AnswerCandidate = {
  citation: 'price-list.txt',
  text: [
    'Bright Smile Dental price list 2026.',
    'Check-up and cleaning: $95 per visit.',
    'Teeth whitening: in-office $350, take-home kit $180.',
    'Dental implants start at $2,400 per tooth.',
    'We accept Cigna, Delta Dental and Aetna insurance plans and bill them directly. Payment by card or cash.',
    'Free parking is available behind the building.',
  ].join('\n'),
};
const policy: AnswerCandidate = {
  citation: 'cancellation-policy.docx › Cancellations',
  heading: 'Cancellations',
  text: 'Please give us 24 hours notice if you cannot make it. Cancellations with less than 24 hours notice are charged a $40 fee. We are happy to reschedule at no cost.',
};
const spanishDoc: AnswerCandidate = {
  citation: 'precios.txt',
  text: 'Lista de precios de la clínica. La limpieza dental cuesta 60 €. El blanqueamiento cuesta 250 €.',
};

describe('answerQuestion', () => {
  it('answers a price question with the line about that service only', () => {
    const a = answerQuestion('How much is a cleaning?', 'en', [priceList, policy]);
    expect(a?.text).toBe('Check-up and cleaning: $95 per visit.');
    expect(a?.citation).toBe('price-list.txt');
    const w = answerQuestion('how much is teeth whitening?', 'en', [priceList]);
    expect(w?.text).toContain('$350');
    expect(w?.text).not.toContain('$95');
  });

  it('gives the insurance sentence for a named insurer, and nothing when the insurer is not named', () => {
    const a = answerQuestion('Do you take Cigna insurance?', 'en', [priceList]);
    expect(a?.text).toBe('We accept Cigna, Delta Dental and Aetna insurance plans and bill them directly.');
    expect(answerQuestion('Do you take Humana insurance?', 'en', [priceList])).toBeNull();
  });

  it('answers the cancellation fee from a policy and never with a price of something else', () => {
    const a = answerQuestion('What is your cancellation fee?', 'en', [priceList, policy]);
    expect(a?.text).toContain('$40 fee');
    expect(a?.text).not.toContain('$95');
    expect(answerQuestion('How much is an MRI scan?', 'en', [priceList, policy])).toBeNull();
  });

  it('prefers a passage in the visitor’s language, else renders the price fact without pasting foreign text', () => {
    const es = answerQuestion('¿Cuánto cuesta una limpieza?', 'es', [priceList, spanishDoc]);
    expect(es?.text).toBe('La limpieza dental cuesta 60 €.');
    const rendered = answerQuestion('¿Cuánto cuesta una limpieza?', 'es', [priceList]);
    expect(rendered?.rendered).toBe(true);
    expect(rendered?.text).toMatch(/^Limpieza dental: \$95\.?$/);
    expect(rendered?.text).not.toMatch(/per visit|cleaning/i);
    // A yes/no policy fact is said in the visitor's words, never as the English sentence.
    expect(answerQuestion('¿Aceptan el seguro Cigna?', 'es', [priceList])?.text).toMatch(/^Seguro Cigna: sí[ .(]/);
    const de = answerQuestion('Was kostet eine Zahnreinigung?', 'de', [priceList]);
    expect(de?.text).toBe('Zahnreinigung: $95.');
  });

  it('matches FAQ entries on their own question and answers with the visitor-language translation', () => {
    const faq: AnswerCandidate = {
      citation: 'faq',
      text: 'In-office whitening starts at $350; take-home kits start at $180.',
      faq: {
        question: 'How much does teeth whitening cost?',
        translations: {
          es: {
            question: '¿Cuánto cuesta el blanqueamiento dental?',
            answer: 'El blanqueamiento en clínica desde 350 $; los kits para casa desde 180 $.',
          },
        },
      },
    };
    expect(answerQuestion('How much is a cleaning?', 'en', [faq])).toBeNull();
    expect(answerQuestion('¿Qué precio tiene blanquear los dientes?', 'es', [faq])?.text).toContain('350 $');
    expect(answerQuestion('how much is whitening', 'en', [faq])?.faqQuestion).toBe(
      'How much does teeth whitening cost?',
    );
  });

  it('answers a question with no known topic only from a passage holding its words', () => {
    const sedation: AnswerCandidate = {
      citation: 'faq',
      text: 'Yes: we offer nitrous oxide and oral sedation for anxious patients.',
      faq: { question: 'Do you offer sedation for anxious patients?' },
    };
    expect(answerQuestion('Do you offer sedation? I am an anxious patient', 'en', [sedation])?.text).toContain(
      'nitrous oxide',
    );
    expect(answerQuestion('Can I bring my bicycle inside?', 'en', [sedation, priceList])).toBeNull();
  });
});

describe('answerQuestion on parsed documents', () => {
  const table: AnswerCandidate = {
    citation: 'prices.md › Prices',
    heading: 'Prices',
    text: [
      'Clinic › Prices',
      '',
      'Treatment: New patient exam with X-rays; Price: $95',
      'Treatment: Check-up and cleaning, adults; Price: $120',
      'Treatment: Deep cleaning, per quadrant; Price: $210',
      'Treatment: In-office teeth whitening; Price: $450',
    ].join('\n'),
  };
  const spanishPolicy: AnswerCandidate = {
    citation: 'politicas.md › Cancelaciones',
    heading: 'Clinic › Cancelaciones',
    text: 'Clinic › Cancelaciones\n\nUna cita se puede cancelar sin coste hasta 24 horas antes. Si se cancela con menos de 24 horas de antelación, cobramos 50 dólares.',
  };

  it('reads table rows as "entry: price" and never quotes the heading line', () => {
    const a = answerQuestion('how much is a cleaning?', 'en', [table]);
    expect(a?.text).toBe('Check-up and cleaning, adults: $120. Deep cleaning, per quadrant: $210.');
    expect(a?.text).not.toContain('$450');
    expect(a?.text).not.toContain('›');
  });

  it('renders a fee from a policy in another language as a neutral amount', () => {
    const a = answerQuestion('What is your cancellation fee?', 'en', [spanishPolicy, table]);
    expect(a).toMatchObject({
      text: 'Cancellation: less than 24 hours, $50.',
      rendered: true,
      citation: 'politicas.md › Cancelaciones',
    });
  });
});

describe('concepts and sentences', () => {
  it('finds the same concept across languages', () => {
    for (const text of [
      'teeth cleaning',
      'una limpieza',
      'un détartrage',
      'eine Zahnreinigung',
      'uma limpeza',
      'una pulizia',
    ]) {
      expect(findConcepts(text).map((c) => c.concept)).toContain('cleaning');
    }
    expect(analyzeQuestion('Do you take Cigna insurance?', 'en').names).toEqual(['Cigna']);
  });

  it('splits price lists and sentences without breaking amounts', () => {
    expect(splitSentences('Cleaning: $95, whitening: $350. Fee is 1.5% plus VAT. Call us!')).toEqual([
      'Cleaning: $95',
      'whitening: $350.',
      'Fee is 1.5% plus VAT.',
      'Call us!',
    ]);
  });
});

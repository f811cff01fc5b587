import { describe, expect, it } from 'vitest';
import { findConcepts } from './concepts.js';

const ids = (text: string, lang?: Parameters<typeof findConcepts>[1]) => findConcepts(text, lang).map((c) => c.concept);

describe('findConcepts', () => {
  it.each([
    ['en', 'How much is a teeth cleaning with the hygienist?', ['price', 'cleaning']],
    ['es', '¿Cuánto cuesta una limpieza dental?', ['price', 'cleaning']],
    ['fr', 'Quel est le prix d’un détartrage ?', ['price', 'cleaning']],
    ['de', 'Was kostet bei Ihnen eine professionelle Zahnreinigung?', ['price', 'cleaning']],
    ['pt', 'Qual é o preço de uma limpeza?', ['price', 'cleaning']],
    ['it', 'Quanto costa la pulizia dei denti?', ['price', 'cleaning']],
  ] as const)('%s: a cleaning price question → price + cleaning', (lang, text, expected) => {
    expect(ids(text, lang)).toEqual(expected);
  });

  it.each([
    ['en', 'Do you do teeth whitening?'],
    ['es', 'Me interesa un blanqueamiento'],
    ['fr', 'Je voudrais un blanchiment des dents'],
    ['de', 'Ich interessiere mich für ein Bleaching'],
    ['pt', 'Queria fazer um branqueamento'],
    ['it', 'Vorrei informazioni sullo sbiancamento'],
  ] as const)('%s: whitening in any wording', (lang, text) => {
    expect(ids(text, lang)).toContain('whitening');
  });

  it.each([
    ['en', 'I have a really bad toothache'],
    ['es', 'Tengo un dolor de muelas horrible'],
    ['fr', "J'ai mal aux dents depuis hier soir"],
    ['de', 'Ich habe seit gestern starke Zahnschmerzen'],
    ['pt', 'Estou com dor de dente e a gengiva inchada'],
    ['it', 'Ho un forte mal di denti'],
  ] as const)('%s: a toothache is the emergency concept', (lang, text) => {
    expect(ids(text, lang)).toContain('emergency');
  });

  it('matches inflected forms and German compounds', () => {
    expect(ids('Dental implants for two teeth', 'en')).toEqual(['implants']);
    expect(ids('Preis für zwei Implantate?', 'de')).toEqual(['price', 'implants']);
    expect(ids('Wie teuer ist ein Implantat?', 'de')).toContain('implants');
    expect(ids('Wir bräuchten einen Flughafentransfer', 'de')).toEqual(['airport_transfer']);
  });

  it('matches whole words only', () => {
    // "rate" inside "pirate", "park" inside "sparkling": no concept.
    expect(ids('a pirate party with sparkling wine', 'en')).not.toContain('price');
    expect(ids('sparkling wine', 'en')).not.toContain('parking');
  });

  it('reads a word inside a longer phrase as the longer concept only', () => {
    expect(ids('Is a late checkout possible on Sunday?', 'en')).toEqual(['late_checkout']);
    expect(ids('What time is check-out?', 'en')).toEqual(['check_out']);
  });

  it('keeps ambiguous English words out of other languages', () => {
    // "pain" is bread in French.
    expect(ids('Avez-vous du pain au petit-déjeuner ?', 'fr')).toEqual(['breakfast']);
    expect(ids('The pain started last night', 'en')).toEqual(['emergency']);
  });

  it('maps tenant service names onto the same concepts', () => {
    expect(ids('Check-up and cleaning')).toEqual(['checkup', 'cleaning']);
    expect(ids('Prophylaxe & Zahnreinigung')).toEqual(['cleaning']);
    expect(ids('Higiene oral')).toEqual(['cleaning']);
    expect(ids('Ortodoncia invisible')).toEqual(['orthodontics']);
    expect(ids('Urgences dentaires')).toEqual(['emergency']);
    expect(ids('Room upgrade')).toEqual(['room_upgrade']);
    expect(ids('Property valuation')).toEqual(['valuation']);
  });

  it('finds knowledge-base topics in every language', () => {
    expect(ids('What are your opening hours?', 'en')).toEqual(['hours']);
    expect(ids('¿Aceptáis el seguro de Sanitas?', 'es')).toEqual(['insurance']);
    expect(ids("Quelle est votre politique d'annulation ?", 'fr')).toEqual(['cancellation_policy']);
    expect(ids('Sind Hunde erlaubt? Gibt es WLAN?', 'de')).toEqual(['pets', 'wifi']);
    expect(ids('Onde ficam? Há estacionamento?', 'pt')).toEqual(['location', 'parking']);
    expect(ids('Si può pagare a rate?', 'it')).toContain('financing');
  });

  it('does not read "as soon as possible" words as a price question', () => {
    expect(ids('Necesito cita cuanto antes', 'es')).not.toContain('price');
    expect(ids('Combien de personnes maximum par chambre ?', 'fr')).not.toContain('price');
  });
});

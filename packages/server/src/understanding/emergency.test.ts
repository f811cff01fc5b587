import { describe, expect, it } from 'vitest';
import { read } from './test-support.js';

describe('a question about the emergency service is not an emergency', () => {
  it.each([
    ['en', 'Do you handle dental emergencies?'],
    ['en', 'Do you take emergency patients on weekends?'],
    ['en', 'Do you treat toothaches?'],
    ['es', '¿Atienden urgencias dentales?'],
    ['es', '¿Tratan el dolor de muelas?'],
    ['fr', 'Est-ce que vous prenez les urgences dentaires ?'],
    ['de', 'Behandeln Sie auch Zahnnotfälle?'],
    ['pt', 'Vocês atendem urgências dentárias?'],
    ['it', 'Gestite le emergenze dentali?'],
  ])('%s: %s', (_l, text) => {
    const u = read(text);
    expect(u.emergency).toBe(false);
    expect(u.urgency).toBeNull();
    expect(u.intent).toBe('information');
    // The service asked about is still the one the lead is interested in.
    expect(u.service?.name).toBe('Emergency care');
  });

  it('asking the price of an emergency visit is a pricing question, not an emergency', () => {
    const u = read('How much is an emergency visit?');
    expect(u.emergency).toBe(false);
    expect(u.intent).toBe('pricing');
  });
});

describe('a present condition is an emergency, said or asked', () => {
  it.each([
    ['en', 'I have terrible tooth pain and swelling'],
    ['en', 'Can you see me today, my tooth is broken?'],
    ['en', 'I have a dental emergency'],
    ['es', 'Tengo un dolor de muelas horrible y la cara hinchada'],
    ['es', '¿Me pueden ver hoy? Me duele mucho la muela'],
    ['fr', "J'ai très mal aux dents et la joue gonflée"],
    ['de', 'Ich habe starke Zahnschmerzen und eine Schwellung'],
    ['pt', 'Estou com muita dor de dente e o rosto inchado'],
    ['it', 'Ho un forte mal di denti e la guancia gonfia'],
    ['es', 'Llevo desde ayer con un dolor de muelas horrible, tienen urgencias mañana?'],
  ])('%s: %s', (_l, text) => {
    const u = read(text);
    expect(u.emergency).toBe(true);
    expect(u.urgency).toBe('high');
  });
});

import { describe, expect, it } from 'vitest';
import { read } from './test-support.js';

const service = (text: string, industry = 'dental', services?: string[]) =>
  read(text, { industry, ...(services ? { services } : {}) }).service?.name;

describe('service, mapped onto the tenant’s own names', () => {
  it.each([
    ['en', 'I have a toothache', 'Emergency care'],
    ['es', 'Tengo dolor de muelas', 'Emergency care'],
    ['fr', "J'ai mal aux dents", 'Emergency care'],
    ['de', 'Ich habe Zahnschmerzen', 'Emergency care'],
    ['en', 'How much is a cleaning?', 'Check-up and cleaning'],
    ['es', '¿Cuánto cuesta una limpieza?', 'Check-up and cleaning'],
    ['fr', 'Un détartrage svp', 'Check-up and cleaning'],
    ['de', 'Eine Zahnreinigung bitte', 'Check-up and cleaning'],
    ['pt', 'Uma limpeza por favor', 'Check-up and cleaning'],
    ['it', 'Una pulizia dei denti', 'Check-up and cleaning'],
    ['es', 'Me interesa un blanqueamiento', 'Teeth whitening'],
    ['fr', 'Le blanchiment coûte combien ?', 'Teeth whitening'],
    ['de', 'Was kostet Bleaching?', 'Teeth whitening'],
    ['pt', 'Quero fazer branqueamento', 'Teeth whitening'],
    ['it', 'Vorrei uno sbiancamento', 'Teeth whitening'],
    ['en', 'Do you do braces for adults?', 'Invisalign'],
    ['es', 'Busco información sobre implantes', 'Dental implants'],
  ])('%s dental: "%s" → %s', (_lang, text, name) => {
    expect(service(text)).toBe(name);
  });

  it.each([
    ['Can you pick us up at the airport?', 'Airport transfer'],
    ['¿Incluye el desayuno?', 'Breakfast'],
    ['Est-ce possible de partir plus tard, un late check-out ?', 'Late checkout'],
    ['Wir planen unsere Hochzeit bei Ihnen', 'Events'],
    ['Quero reservar um quarto duplo', 'Rooms and suites'],
  ])('hotel: "%s" → %s', (text, name) => {
    expect(service(text, 'hotel')).toBe(name);
  });

  it.each([
    ['I want to buy a flat', 'Buying'],
    ['Queremos vender nuestro piso', 'Selling'],
    ['Nous cherchons un appartement à louer', 'Renting'],
    ['Wie viel ist meine Wohnung wert? Eine Bewertung bitte', 'Property valuation'],
  ])('real estate: "%s" → %s', (text, name) => {
    expect(service(text, 'real_estate')).toBe(name);
  });

  it('works for any wording of the tenant’s services, in any language', () => {
    const services = ['Prophylaxe & Dentalhygiene', 'Bleaching', 'Notdienst', 'Kieferorthopädie'];
    expect(service('How much is a cleaning?', 'dental', services)).toBe('Prophylaxe & Dentalhygiene');
    expect(service('Tengo un dolor de muelas terrible', 'dental', services)).toBe('Notdienst');
    expect(service('Do you do Invisalign?', 'dental', services)).toBe('Kieferorthopädie');
    expect(service('Sedation for anxious patients?', 'dental', ['Sedation dentistry', 'Fillings'])).toBe(
      'Sedation dentistry',
    );
  });

  it('names no service when the message names none', () => {
    expect(service('Hello, what are your opening hours?')).toBeUndefined();
  });
});

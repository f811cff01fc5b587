import { describe, expect, it } from 'vitest';
import { read } from './test-support.js';

describe('contact and name', () => {
  it.each([
    ['DE', 'Warmmiete max. 1.050 € warm. Erreichbar unter 0157 12345678', '+4915712345678'],
    ['ES', 'Mi móvil es 612 34 56 78, presupuesto 1.200 €', '+34612345678'],
    ['FR', 'Appelez-moi au 06 12 34 56 78 pour la chambre 12', '+33612345678'],
    ['IT', 'Il mio numero è 347 123 4567', '+393471234567'],
    ['PT', 'Contacto: 912 345 678', '+351912345678'],
    ['GB', 'Call me on 07911 123456', '+447911123456'],
    ['US', 'My cell is (415) 555-0134, budget $600,000.', '+14155550134'],
    ['ES', 'WhatsApp +44 7911 123456 por favor', '+447911123456'],
  ])('%s: the phone is the number that is a phone: "%s"', (region, text, phone) => {
    expect(read(text, { region }).phone).toBe(phone);
  });

  it.each([
    ['DE', 'Kaufpreis 1.250.000 € für 120 m2'],
    ['ES', 'Llegamos el 20/12/2026 a las 22:30'],
    ['FR', 'Chambre 1204 pour 2 nuits'],
    ['IT', 'CAP 20121 Milano'],
    ['US', 'Budget $600,000. and 3 bedrooms'],
  ])('%s: no phone in "%s"', (region, text) => {
    expect(read(text, { region }).phone).toBeUndefined();
  });

  it('reads the email address', () => {
    expect(read('Escribidme a Ana.Lopez+clinic@Example.COM gracias').email).toBe('ana.lopez+clinic@example.com');
  });

  it.each([
    ['en', 'Hi, my name is Sarah Connor and I need a cleaning', 'Sarah Connor'],
    ['es', 'Hola, me llamo lucía', 'Lucía'],
    ['fr', "Bonjour, je m'appelle Claire Dubois", 'Claire Dubois'],
    ['de', 'Guten Tag, mein Name ist Julia Weber', 'Julia Weber'],
    ['pt', 'Olá, chamo-me João Santos', 'João Santos'],
    ['it', 'Buongiorno, sono Marco Rossi', 'Marco Rossi'],
    ['es', 'Quería una cita. Saludos, Ana García', 'Ana García'],
  ])('%s: name in "%s"', (_lang, text, name) => {
    expect(read(text).name).toBe(name);
  });

  it.each([
    'I am interested in implants',
    'Soy de Madrid',
    'Je suis intéressée par un blanchiment',
    'Sono interessato',
  ])('no name in "%s"', (text) => {
    expect(read(text).name).toBeUndefined();
  });
});

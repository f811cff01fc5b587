import { describe, expect, it } from 'vitest';
import { read } from './test-support.js';

const service = (text: string, industry: string) => read(text, { industry }).service?.name;

describe('a room number or a past stay is not the service wanted', () => {
  it.each([
    ['en', 'The shower in room 305 is leaking, please send someone'],
    ['es', 'En la habitación 207 no hay agua caliente, es inaceptable'],
    ['de', 'In Zimmer 12 funktioniert das Licht nicht'],
    ['it', 'Nella camera n. 4 non funziona il riscaldamento'],
  ])('%s', (_l, text) => expect(service(text, 'hotel')).toBeUndefined());

  it('a cancelled stay is not a service, a named treatment still is', () => {
    expect(service('Je dois annuler mon séjour du 3 au 6 mars', 'hotel')).toBeUndefined();
    expect(service('Quiero cancelar mi blanqueamiento del jueves', 'dental')).toBe('Teeth whitening');
  });

  it('a reception desk is not an event', () => {
    expect(service('Is the reception open at midnight?', 'hotel')).toBeUndefined();
  });
});

describe('services named in other words', () => {
  it.each([
    ['hotel', 'de', 'Ist ein später Check-out möglich?', 'Late checkout'],
    ['hotel', 'fr', 'Peut-on garder la chambre jusqu’à 15h ?', 'Late checkout'],
    ['hotel', 'it', 'Quanto costa una doppia a notte?', 'Rooms and suites'],
    ['hotel', 'es', '¿Cuánto cuesta la noche en febrero?', 'Rooms and suites'],
    ['real_estate', 'de', 'Was kostet eine Hausbewertung bei Ihnen?', 'Property valuation'],
    ['real_estate', 'fr', 'Quels frais pour la vente de notre maison ?', 'Selling'],
    ['real_estate', 'es', 'Vi un piso por 900 € al mes, ¿sigue libre?', 'Renting'],
    ['real_estate', 'pt', 'O senhorio não me devolve a caução', 'Renting'],
    ['dental', 'es', 'Me gustaría blanquearme los dientes', 'Teeth whitening'],
  ])('%s %s: %s', (industry, _l, text, expected) => expect(service(text, industry)).toBe(expected));
});

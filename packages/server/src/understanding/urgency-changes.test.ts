import { describe, expect, it } from 'vitest';
import { read } from './test-support.js';

/** Today is Wednesday 2 December 2026 in Madrid. */
describe('urgency of a change or cancellation comes from the nearest date it touches', () => {
  it.each([
    ['en', 'My appointment tomorrow does not suit me, can we move it to the 20th?'],
    ['es', 'Mi cita de mañana no me viene bien, ¿podemos cambiarla al día 20?'],
    ['fr', 'Je dois reporter mon rendez-vous de demain au 20 décembre'],
    ['de', 'Können wir meinen Termin von morgen auf den 20. Dezember verschieben?'],
    ['pt', 'Queria remarcar a consulta de amanhã para dia 20'],
    ['it', "Posso spostare l'appuntamento di domani al 20 dicembre?"],
  ])('%s: the appointment moved is tomorrow', (_l, text) => {
    const u = read(text);
    expect(u.intent).toBe('reschedule');
    expect(u.urgency).toBe('high');
    expect(u.date?.start).toBe('2026-12-20');
  });

  it.each([
    ['es', 'Tengo que cancelar la cita de mañana, lo siento'],
    ['de', 'Ich muss unsere Buchung für morgen leider stornieren. Kostet das etwas?'],
  ])('%s: a cancellation for tomorrow is urgent and has no requested date', (_l, text) => {
    const u = read(text, { industry: 'hotel' });
    expect(u.intent).toBe('cancellation');
    expect(u.urgency).toBe('high');
    expect(u.date).toBeUndefined();
  });

  it('a complaint about today is not urgent by its date', () => {
    const u = read('The agent never showed up to the visit today. Unprofessional.', { industry: 'real_estate' });
    expect(u.intent).toBe('complaint');
    expect(u.urgency).toBeNull();
  });
});

describe('complaints and requests for a person in six languages', () => {
  it.each([
    ['en', 'Still nothing from your office after two weeks, I am losing patience.', 'complaint'],
    ['es', 'El aire acondicionado no funciona y hace un calor horrible', 'complaint'],
    ['fr', 'Le chauffage ne fonctionne pas dans notre chambre', 'complaint'],
    ['de', 'Die Dusche funktioniert nicht, bitte kümmern Sie sich', 'complaint'],
    ['pt', 'Fiquei muito chateado com o atendimento de ontem', 'complaint'],
    ['it', 'Siamo rimasti molto delusi dalla colazione', 'complaint'],
    ['es', '¿Me pasan con alguien de reservas?', 'human_request'],
    ['fr', 'Pouvez-vous me passer le service des réservations ?', 'human_request'],
    ['de', 'Bitte um Rückruf, danke', 'human_request'],
    ['pt', 'Gostaria de falar com o gerente', 'human_request'],
    ['it', 'Vorrei parlare con il direttore', 'human_request'],
    ['en', 'Could someone call me back this afternoon?', 'human_request'],
  ])('%s: %s', (_l, text, intent) => {
    expect(read(text, { industry: 'hotel' }).intent).toBe(intent);
  });

  it.each([
    ['en', 'What commission do you charge on a sale?'],
    ['es', '¿Cuánto cobran de comisión?'],
    ['fr', 'Quels sont vos honoraires pour une vente ?'],
    ['pt', 'Qual é a comissão da agência?'],
    ['it', 'Quanto prendete per la vendita?'],
  ])('%s: a commission is a price question', (_l, text) => {
    expect(read(text, { industry: 'real_estate' }).intent).toBe('pricing');
  });
});

import { describe, expect, it } from 'vitest';
import { read } from './test-support.js';

describe('intent', () => {
  it.each([
    ['en', 'I would like to book a cleaning next week', 'booking'],
    ['es', 'Quisiera pedir cita para una limpieza', 'booking'],
    ['fr', 'Je voudrais prendre rendez-vous pour un détartrage', 'booking'],
    ['de', 'Ich möchte einen Termin für eine Zahnreinigung', 'booking'],
    ['pt', 'Queria marcar uma consulta de limpeza', 'booking'],
    ['it', 'Vorrei prenotare una pulizia dei denti', 'booking'],
    ['en', 'How much does teeth whitening cost?', 'pricing'],
    ['es', '¿Cuánto cuesta un blanqueamiento?', 'pricing'],
    ['fr', 'Quel est le prix d’un blanchiment ?', 'pricing'],
    ['de', 'Was kostet ein Bleaching?', 'pricing'],
    ['pt', 'Quanto custa o branqueamento?', 'pricing'],
    ['it', 'Quanto costa lo sbiancamento?', 'pricing'],
    ['en', 'Do you take Cigna insurance?', 'information'],
    ['es', '¿Dónde estáis? ¿Hay parking?', 'information'],
    ['fr', 'Quels sont vos horaires ?', 'information'],
    ['de', 'Sind Hunde im Hotel erlaubt?', 'information'],
    ['pt', 'Aceitam pagamento com cartão?', 'information'],
    ['it', "Qual è l'orario del check-in?", 'information'],
    ['en', 'I need to cancel my appointment on Friday', 'cancellation'],
    ['es', 'Tengo que cancelar mi reserva, lo siento', 'cancellation'],
    ['fr', 'Je dois annuler mon rendez-vous de demain', 'cancellation'],
    ['de', 'Ich muss meinen Termin leider absagen', 'cancellation'],
    ['pt', 'Preciso de desmarcar a minha consulta', 'cancellation'],
    ['it', 'Devo disdire la mia prenotazione', 'cancellation'],
    ['en', 'Can I move my appointment to Thursday?', 'reschedule'],
    ['es', '¿Podemos cambiar la fecha de la reserva al 20 de enero?', 'reschedule'],
    ['fr', 'Est-il possible de décaler mon rendez-vous ?', 'reschedule'],
    ['de', 'Kann ich meinen Termin auf nächste Woche verschieben?', 'reschedule'],
    ['pt', 'Gostaria de remarcar a consulta', 'reschedule'],
    ['it', "Vorrei spostare l'appuntamento a lunedì", 'reschedule'],
    ['en', 'The room was dirty and nobody answered my emails', 'complaint'],
    ['es', 'Quiero poner una queja, el trato fue pésimo', 'complaint'],
    ['fr', 'Je suis très déçu, la chambre était sale', 'complaint'],
    ['de', 'Ich möchte mich beschweren, das Zimmer war schmutzig', 'complaint'],
    ['pt', 'Quero fazer uma reclamação, fui mal atendido e cobraram duas vezes', 'complaint'],
    ['it', 'Vorrei fare un reclamo, la camera era sporca', 'complaint'],
    ['en', 'Can I talk to a real person?', 'human_request'],
    ['es', 'Quiero hablar con una persona', 'human_request'],
    ['de', 'Ich möchte mit einem Mitarbeiter sprechen', 'human_request'],
    ['en', 'Hello!', 'other'],
  ])('%s: "%s" → %s', (_lang, text, intent) => {
    expect(
      read(text, { industry: /room|chambre|zimmer|camera|hotel|reserva|check-in/i.test(text) ? 'hotel' : 'dental' })
        .intent,
    ).toBe(intent);
  });

  it('lists every intent, the booking first when a price is asked beside it', () => {
    const u = read('I want to book a whitening appointment, how much does it cost?');
    expect(u.intents).toEqual(['booking', 'pricing']);
  });

  it('reads a cancellation-policy question as information, not a cancellation', () => {
    expect(read('What is your cancellation fee?').intent).toBe('information');
    expect(read('¿Puedo cancelar gratis hasta el día antes?').intent).toBe('information');
  });
});

describe('urgency and emergencies', () => {
  it.each([
    ['en', 'I have a terrible toothache and my face is swollen'],
    ['en', "I knocked out a tooth in an accident, I can't sleep from the pain"],
    ['es', 'Me sangra mucho la encía y tengo la cara hinchada'],
    ['fr', "J'ai un abcès, la joue est gonflée"],
    ['de', 'Mir ist ein Zahn abgebrochen und es tut sehr weh'],
    ['pt', 'Estou com muita dor de dente, não consigo dormir'],
    ['it', 'Mi si è rotto un dente e mi fa male'],
  ])('%s: "%s" is an emergency with high urgency', (_lang, text) => {
    const u = read(text);
    expect(u).toMatchObject({ emergency: true, urgency: 'high', intent: 'booking' });
    expect(u.service?.name).toBe('Emergency care');
  });

  it.each([
    ['en', 'I need a cleaning asap', 'high'],
    ['es', 'Necesito una cita hoy mismo', 'high'],
    ['fr', 'Un rendez-vous au plus vite svp', 'high'],
    ['de', 'Ich brauche dringend einen Termin', 'high'],
    ['en', 'Sometime this week would be good', 'medium'],
    ['it', 'Vorrei un appuntamento a breve', 'medium'],
    ['es', 'No es urgente, es para una limpieza', 'low'],
    ['en', 'Nothing urgent, just planning a whitening', 'low'],
    ['fr', 'Pas pressé, je me renseigne', 'low'],
    ['de', 'Keine Eile, nur eine Frage zur Reinigung', 'low'],
    ['pt', 'Sem pressa, é só para saber', 'low'],
    ['it', 'Nessuna fretta, grazie', 'low'],
  ])('%s: "%s" → %s', (_lang, text, urgency) => {
    expect(read(text).urgency).toBe(urgency);
  });

  it('has no urgency when nothing is said about timing', () => {
    expect(read('Do you do Invisalign?').urgency).toBeNull();
  });

  it.each([
    'Does teeth whitening hurt?',
    '¿El blanqueamiento duele?',
    'Sin dolor, solo quiero una limpieza',
    'Keine Schmerzen, nur Kontrolle',
  ])('"%s" is not an emergency', (text) => {
    expect(read(text).emergency).toBe(false);
  });

  it('does not make a hotel guest’s words a dental emergency', () => {
    expect(read('The pain of finding parking! Do you have a garage?', { industry: 'hotel' }).emergency).toBe(false);
  });

  it('flags questions a knowledge base can answer', () => {
    expect(read('How much is a cleaning?').asksQuestion).toBe(true);
    expect(read('¿Aceptáis Sanitas?').asksQuestion).toBe(true);
    expect(read('I want to book a cleaning on Friday').asksQuestion).toBe(false);
  });

  it('keeps evidence for what it read', () => {
    const u = read('Me duele mucho una muela, ¿podéis verme hoy? Soy Ana, 612 34 56 78');
    expect(u.evidence.map((e) => e.field)).toEqual(
      expect.arrayContaining(['emergency', 'urgency', 'phone', 'service']),
    );
  });
});

describe('urgency from how soon the requested date is, when no words say it', () => {
  it.each([
    ['Quisiera una cita para mañana', 'high'],
    ['Une chambre du 8 au 10 décembre', 'medium'],
    ['Wir möchten im Mai kommen', 'low'],
  ])('"%s" → %s', (text, urgency) => {
    expect(read(text, { industry: 'hotel' }).urgency).toBe(urgency);
  });
});

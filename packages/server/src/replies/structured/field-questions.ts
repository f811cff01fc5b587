import type { ContentLanguage } from '@leaddesk/shared';

/**
 * Built-in phrasings of the intake questions, per lead field and language:
 * asked when the tenant did not translate its own question into the visitor's
 * language, so a Spanish visitor never reads an English question. Options,
 * where a field has fixed ones, are in the same order in every language (the
 * first urgency option is the most urgent).
 */
export interface BuiltInQuestion {
  question: string;
  options?: string[];
}

type PerLanguage = Record<ContentLanguage, BuiltInQuestion>;

export const FIELD_QUESTIONS: Record<string, PerLanguage> = {
  serviceInterest: {
    en: { question: 'Which service are you interested in?' },
    es: { question: '¿Qué servicio te interesa?' },
    fr: { question: 'Quel service vous intéresse ?' },
    de: { question: 'Welche Leistung interessiert Sie?' },
    pt: { question: 'Que serviço lhe interessa?' },
    it: { question: 'Quale servizio ti interessa?' },
  },
  urgency: {
    en: { question: 'How urgent is it?', options: ['Urgent', 'Soon', 'Just planning'] },
    es: { question: '¿Es urgente?', options: ['Urgente', 'Pronto', 'Solo estoy planificando'] },
    fr: { question: 'Est-ce urgent ?', options: ['Urgent', 'Bientôt', 'Je me renseigne'] },
    de: { question: 'Wie dringend ist es?', options: ['Dringend', 'Bald', 'Nur in Planung'] },
    pt: { question: 'É urgente?', options: ['Urgente', 'Em breve', 'Só a planear'] },
    it: { question: 'È urgente?', options: ['Urgente', 'A breve', 'Sto solo pianificando'] },
  },
  timeline: {
    en: { question: 'Which date would suit you?' },
    es: { question: '¿Qué fecha te vendría bien?' },
    fr: { question: 'Quelle date vous conviendrait ?' },
    de: { question: 'Welcher Termin würde Ihnen passen?' },
    pt: { question: 'Que data lhe daria jeito?' },
    it: { question: 'Quale data ti andrebbe bene?' },
  },
  partySize: {
    en: { question: 'How many people will there be?' },
    es: { question: '¿Para cuántas personas sería?' },
    fr: { question: 'Pour combien de personnes ?' },
    de: { question: 'Für wie viele Personen?' },
    pt: { question: 'Para quantas pessoas seria?' },
    it: { question: 'Per quante persone?' },
  },
  budgetRange: {
    en: { question: 'Do you have a budget in mind?' },
    es: { question: '¿Tienes un presupuesto en mente?' },
    fr: { question: 'Avez-vous un budget en tête ?' },
    de: { question: 'An welches Budget haben Sie gedacht?' },
    pt: { question: 'Tem um orçamento em mente?' },
    it: { question: 'Hai in mente un budget?' },
  },
  bedrooms: {
    en: { question: 'How many bedrooms do you need?' },
    es: { question: '¿Cuántos dormitorios necesitas?' },
    fr: { question: 'Combien de chambres vous faut-il ?' },
    de: { question: 'Wie viele Schlafzimmer brauchen Sie?' },
    pt: { question: 'De quantos quartos precisa?' },
    it: { question: 'Di quante camere da letto hai bisogno?' },
  },
  newPatient: {
    en: { question: 'Have you visited us before?' },
    es: { question: '¿Nos has visitado antes?' },
    fr: { question: 'Êtes-vous déjà venu chez nous ?' },
    de: { question: 'Waren Sie schon einmal bei uns?' },
    pt: { question: 'Já nos visitou antes?' },
    it: { question: 'Sei già stato da noi?' },
  },
  location: {
    en: { question: 'Which area are you interested in?' },
    es: { question: '¿Qué zona te interesa?' },
    fr: { question: 'Quel secteur vous intéresse ?' },
    de: { question: 'Welche Gegend interessiert Sie?' },
    pt: { question: 'Que zona lhe interessa?' },
    it: { question: 'Quale zona ti interessa?' },
  },
  decisionMaker: {
    en: { question: 'Are you the one making the decision?' },
    es: { question: '¿Eres tú quien toma la decisión?' },
    fr: { question: 'Êtes-vous la personne qui décide ?' },
    de: { question: 'Treffen Sie die Entscheidung?' },
    pt: { question: 'É a pessoa que decide?' },
    it: { question: 'Sei tu a prendere la decisione?' },
  },
  mortgageApproved: {
    en: { question: 'Do you have a mortgage in principle?' },
    es: { question: '¿Tienes ya una hipoteca preaprobada?' },
    fr: { question: 'Avez-vous déjà un accord de principe pour votre prêt ?' },
    de: { question: 'Haben Sie bereits eine Finanzierungszusage?' },
    pt: { question: 'Já tem um crédito à habitação pré-aprovado?' },
    it: { question: 'Hai già un mutuo pre-approvato?' },
  },
  roomType: {
    en: { question: 'Which room type would you prefer?' },
    es: { question: '¿Qué tipo de habitación prefieres?' },
    fr: { question: 'Quel type de chambre préférez-vous ?' },
    de: { question: 'Welche Zimmerkategorie bevorzugen Sie?' },
    pt: { question: 'Que tipo de quarto prefere?' },
    it: { question: 'Che tipo di camera preferisci?' },
  },
};

export function builtInQuestion(field: string, language: ContentLanguage): BuiltInQuestion | undefined {
  return FIELD_QUESTIONS[field]?.[language];
}

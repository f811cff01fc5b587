import { fold } from '../../replies/structured/extract.js';
import type { SupportedLanguage } from '../../replies/structured/language.js';

/**
 * Keyword rules per language, matched on folded text (lower case, accents
 * removed). Kept as plain data so a new language is one more entry.
 */
export interface LanguageRules {
  urgent: string[];
  human: string[];
  complaint: string[];
  booking: string[];
  pricing: string[];
  greeting: string[];
}

export const ROUTER_RULES: Record<SupportedLanguage, LanguageRules> = {
  en: {
    urgent: [
      'urgent',
      'emergency',
      'asap',
      'as soon as possible',
      'right now',
      'immediately',
      'severe pain',
      'bleeding',
      'swollen',
      'today if possible',
    ],
    human: [
      'speak to a human',
      'talk to a human',
      'speak to a person',
      'talk to a person',
      'real person',
      'speak to someone',
      'talk to someone',
      'human agent',
      'representative',
      'speak with a person',
      'speak with someone',
    ],
    complaint: [
      'complaint',
      'complain',
      'terrible',
      'awful',
      'unacceptable',
      'refund',
      'disappointed',
      'worst',
      'rude',
      'scam',
    ],
    booking: ['book', 'appointment', 'reserve', 'reservation', 'schedule', 'availability', 'available'],
    pricing: ['price', 'cost', 'how much', 'rates', 'quote', 'fee'],
    greeting: ['hi', 'hello', 'hey', 'good morning', 'good afternoon', 'good evening'],
  },
  es: {
    urgent: [
      'urgente',
      'urgencia',
      'emergencia',
      'cuanto antes',
      'ahora mismo',
      'inmediatamente',
      'mucho dolor',
      'dolor fuerte',
      'sangrado',
      'hoy mismo',
    ],
    human: [
      'hablar con una persona',
      'hablar con alguien',
      'persona real',
      'hablar con un humano',
      'un agente',
      'hablar con un asesor',
      'atencion humana',
      'llamenme',
    ],
    complaint: [
      'queja',
      'reclamacion',
      'reclamo',
      'pesimo',
      'horrible',
      'inaceptable',
      'reembolso',
      'decepcionado',
      'estafa',
    ],
    booking: ['reservar', 'reserva', 'cita', 'agendar', 'disponibilidad', 'disponible'],
    pricing: ['precio', 'cuanto cuesta', 'cuanto vale', 'tarifa', 'presupuesto', 'coste', 'costo'],
    greeting: ['hola', 'buenos dias', 'buenas tardes', 'buenas noches'],
  },
  fr: {
    urgent: [
      'urgent',
      'urgence',
      'au plus vite',
      'tout de suite',
      'immediatement',
      'tres mal',
      'forte douleur',
      'saigne',
      "aujourd'hui si possible",
    ],
    human: [
      'parler a quelqu',
      'parler a une personne',
      'parler a un humain',
      'vraie personne',
      'un conseiller',
      'un agent',
      'une personne reelle',
      'rappelez-moi',
    ],
    complaint: [
      'plainte',
      'reclamation',
      'inadmissible',
      'inacceptable',
      'remboursement',
      'decu',
      'decue',
      'scandaleux',
      'arnaque',
      'horrible',
    ],
    booking: ['reserver', 'reservation', 'rendez-vous', 'rdv', 'disponibilite', 'disponible'],
    pricing: ['prix', 'combien', 'tarif', 'devis', 'cout'],
    greeting: ['bonjour', 'bonsoir', 'salut', 'coucou'],
  },
  de: {
    urgent: [
      'dringend',
      'notfall',
      'sofort',
      'so schnell wie moglich',
      'so bald wie moglich',
      'starke schmerzen',
      'schmerzen',
      'blutet',
      'heute noch',
    ],
    human: [
      'mit einem menschen',
      'mit einer person',
      'echte person',
      'mit jemandem sprechen',
      'mitarbeiter sprechen',
      'mit einem mitarbeiter',
      'berater',
      'ruckruf',
    ],
    complaint: [
      'beschwerde',
      'reklamation',
      'unverschamt',
      'inakzeptabel',
      'erstattung',
      'enttauscht',
      'schrecklich',
      'betrug',
      'katastrophe',
    ],
    booking: ['buchen', 'buchung', 'termin', 'reservieren', 'reservierung', 'verfugbar'],
    pricing: ['preis', 'kostet', 'kosten', 'wie viel', 'angebot', 'gebuhr'],
    greeting: ['hallo', 'guten tag', 'guten morgen', 'guten abend', 'servus', 'moin'],
  },
  pt: {
    urgent: [
      'urgente',
      'urgencia',
      'emergencia',
      'o quanto antes',
      'agora mesmo',
      'imediatamente',
      'muita dor',
      'dor forte',
      'sangrando',
      'hoje mesmo',
    ],
    human: [
      'falar com uma pessoa',
      'falar com alguem',
      'pessoa real',
      'falar com um humano',
      'atendente',
      'falar com um consultor',
      'atendimento humano',
      'me liguem',
    ],
    complaint: [
      'reclamacao',
      'reclamar',
      'pessimo',
      'horrivel',
      'inaceitavel',
      'reembolso',
      'decepcionado',
      'golpe',
      'absurdo',
    ],
    booking: ['reservar', 'reserva', 'marcar', 'agendar', 'consulta', 'disponibilidade', 'disponivel'],
    pricing: ['preco', 'quanto custa', 'valor', 'orcamento', 'tarifa', 'custo'],
    greeting: ['ola', 'oi', 'bom dia', 'boa tarde', 'boa noite'],
  },
  it: {
    urgent: [
      'urgente',
      'urgenza',
      'emergenza',
      'al piu presto',
      'subito',
      'immediatamente',
      'molto dolore',
      'dolore forte',
      'sanguina',
      'oggi stesso',
    ],
    human: [
      'parlare con una persona',
      'parlare con qualcuno',
      'persona reale',
      'parlare con un umano',
      'un operatore',
      'un consulente',
      'assistenza umana',
      'richiamatemi',
    ],
    complaint: [
      'reclamo',
      'lamentela',
      'pessimo',
      'orribile',
      'inaccettabile',
      'rimborso',
      'deluso',
      'delusa',
      'truffa',
      'vergognoso',
    ],
    booking: ['prenotare', 'prenotazione', 'appuntamento', 'disponibilita', 'disponibile'],
    pricing: ['prezzo', 'quanto costa', 'costo', 'tariffa', 'preventivo'],
    greeting: ['ciao', 'buongiorno', 'buonasera', 'salve'],
  },
};

/** Whole-word (or whole-phrase) match on folded text. */
export function findPhrase(foldedText: string, phrases: string[]): string | undefined {
  return phrases.find((p) => {
    const folded = fold(p);
    const i = foldedText.indexOf(folded);
    if (i < 0) return false;
    const before = i === 0 ? ' ' : foldedText[i - 1];
    const after = foldedText[i + folded.length] ?? ' ';
    return !/[a-z0-9]/.test(before ?? ' ') && (folded.endsWith("'") || !/[a-z0-9]/.test(after));
  });
}

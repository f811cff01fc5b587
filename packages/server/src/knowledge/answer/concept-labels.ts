import type { ContentLanguage } from '@leaddesk/shared';
import { CONCEPT_LEXICON } from '../../understanding/concept-lexicon.js';
import { conceptKind, findConcepts as findInText } from '../../understanding/concepts.js';

/**
 * What the answer module adds to the understanding module's concept lexicon:
 * which concepts are only an aspect of a question (its price) rather than its
 * subject, and how to name a concept in each language when a fact is rendered
 * from a passage in another language ("Limpieza dental: $95").
 */

/** Asked about a subject, never a subject on their own: they rank passages but never make one answer. */
const ASPECTS: ReadonlySet<string> = new Set(['price', 'availability']);

export type ConceptRole = 'subject' | 'aspect';

export function conceptRole(concept: string): ConceptRole | undefined {
  if (!conceptKind(concept)) return undefined;
  return ASPECTS.has(concept) ? 'aspect' : 'subject';
}

export interface FoundConcept {
  concept: string;
  text: string;
}

/** Concepts named in a text in any language (a passage's language is rarely known). */
export function findConcepts(text: string, language?: ContentLanguage): FoundConcept[] {
  return findInText(text, language);
}

/**
 * Whether a word is a brand the lexicon lists for every language ("Cigna",
 * "Invisalign", "PayPal"): a question naming one is about that brand, and
 * only a passage naming it answers.
 */
export function isBrand(folded: string): boolean {
  return Object.values(CONCEPT_LEXICON).some((entry) =>
    entry.terms.all?.some((term) => term === folded || term.split(/[\s-]+/).includes(folded)),
  );
}

type Labels = Record<ContentLanguage, string>;
const l = (en: string, es: string, fr: string, de: string, pt: string, it: string): Labels => ({
  en,
  es,
  fr,
  de,
  pt,
  it,
});

const LABELS: Record<string, Labels> = {
  cleaning: l('Cleaning', 'Limpieza dental', 'Détartrage', 'Zahnreinigung', 'Limpeza dentária', 'Pulizia dei denti'),
  checkup: l('Check-up', 'Revisión', 'Contrôle', 'Kontrolle', 'Consulta de rotina', 'Controllo'),
  whitening: l(
    'Teeth whitening',
    'Blanqueamiento dental',
    'Blanchiment des dents',
    'Zahnaufhellung',
    'Branqueamento dentário',
    'Sbiancamento dentale',
  ),
  implants: l(
    'Dental implants',
    'Implantes dentales',
    'Implants dentaires',
    'Zahnimplantate',
    'Implantes dentários',
    'Impianti dentali',
  ),
  orthodontics: l('Orthodontics', 'Ortodoncia', 'Orthodontie', 'Kieferorthopädie', 'Ortodontia', 'Ortodonzia'),
  emergency: l(
    'Emergency visit',
    'Urgencia dental',
    'Urgence dentaire',
    'Notfallbehandlung',
    'Urgência dentária',
    'Urgenza dentale',
  ),
  root_canal: l(
    'Root canal',
    'Endodoncia',
    'Traitement de canal',
    'Wurzelbehandlung',
    'Desvitalização',
    'Devitalizzazione',
  ),
  extraction: l('Extraction', 'Extracción', 'Extraction', 'Zahnextraktion', 'Extração', 'Estrazione'),
  crown: l('Crown', 'Corona', 'Couronne', 'Krone', 'Coroa', 'Corona'),
  filling: l('Filling', 'Empaste', 'Plombage', 'Füllung', 'Restauração', 'Otturazione'),
  dentures: l(
    'Dentures',
    'Prótesis dental',
    'Prothèse dentaire',
    'Zahnprothese',
    'Prótese dentária',
    'Protesi dentaria',
  ),
  room: l('Room', 'Habitación', 'Chambre', 'Zimmer', 'Quarto', 'Camera'),
  room_upgrade: l(
    'Room upgrade',
    'Mejora de habitación',
    'Surclassement',
    'Zimmer-Upgrade',
    'Mudança para quarto superior',
    'Upgrade della camera',
  ),
  airport_transfer: l(
    'Airport transfer',
    'Traslado al aeropuerto',
    'Transfert aéroport',
    'Flughafentransfer',
    'Transfer do aeroporto',
    'Transfer aeroporto',
  ),
  breakfast: l('Breakfast', 'Desayuno', 'Petit-déjeuner', 'Frühstück', 'Pequeno-almoço', 'Colazione'),
  late_checkout: l(
    'Late checkout',
    'Salida tardía',
    'Départ tardif',
    'Später Check-out',
    'Check-out tardio',
    'Check-out posticipato',
  ),
  events: l('Events', 'Eventos', 'Événements', 'Veranstaltungen', 'Eventos', 'Eventi'),
  spa: l('Spa', 'Spa', 'Spa', 'Spa', 'Spa', 'Spa'),
  buy: l('Buying', 'Compra', 'Achat', 'Kauf', 'Compra', 'Acquisto'),
  sell: l('Selling', 'Venta', 'Vente', 'Verkauf', 'Venda', 'Vendita'),
  rent: l('Renting', 'Alquiler', 'Location', 'Miete', 'Arrendamento', 'Affitto'),
  valuation: l('Valuation', 'Valoración', 'Estimation', 'Bewertung', 'Avaliação', 'Valutazione'),
  viewing: l('Viewing', 'Visita', 'Visite', 'Besichtigung', 'Visita', 'Visita'),
  mortgage: l('Mortgage', 'Hipoteca', 'Prêt immobilier', 'Hypothek', 'Crédito à habitação', 'Mutuo'),
  parking: l('Parking', 'Aparcamiento', 'Parking', 'Parken', 'Estacionamento', 'Parcheggio'),
  insurance: l('Insurance', 'Seguro', 'Assurance', 'Versicherung', 'Seguro', 'Assicurazione'),
  payment: l('Payment', 'Pago', 'Paiement', 'Zahlung', 'Pagamento', 'Pagamento'),
  financing: l('Financing', 'Financiación', 'Financement', 'Finanzierung', 'Financiamento', 'Finanziamento'),
  cancellation_policy: l('Cancellation', 'Cancelación', 'Annulation', 'Stornierung', 'Cancelamento', 'Cancellazione'),
  check_in: l('Check-in', 'Check-in', 'Arrivée', 'Check-in', 'Check-in', 'Check-in'),
  check_out: l('Check-out', 'Check-out', 'Départ', 'Check-out', 'Check-out', 'Check-out'),
  pets: l('Pets', 'Mascotas', 'Animaux', 'Haustiere', 'Animais', 'Animali'),
  deposit: l('Deposit', 'Depósito', 'Acompte', 'Anzahlung', 'Sinal', 'Acconto'),
  pool: l('Pool', 'Piscina', 'Piscine', 'Pool', 'Piscina', 'Piscina'),
  gym: l('Gym', 'Gimnasio', 'Salle de sport', 'Fitnessraum', 'Ginásio', 'Palestra'),
  commission: l('Commission', 'Comisión', 'Commission', 'Provision', 'Comissão', 'Provvigione'),
  location: l('Address', 'Dirección', 'Adresse', 'Adresse', 'Morada', 'Indirizzo'),
  hours: l('Opening hours', 'Horario', 'Horaires', 'Öffnungszeiten', 'Horário', 'Orari'),
  wifi: l('Wi-Fi', 'Wi-Fi', 'Wi-Fi', 'WLAN', 'Wi-Fi', 'Wi-Fi'),
  children: l('Children', 'Niños', 'Enfants', 'Kinder', 'Crianças', 'Bambini'),
  children_policy: l(
    'Cot and extra bed',
    'Cuna y cama supletoria',
    'Lit bébé et lit d’appoint',
    'Kinderbett und Zustellbett',
    'Berço e cama extra',
    'Culla e letto aggiunto',
  ),
  languages_spoken: l('Languages', 'Idiomas', 'Langues', 'Sprachen', 'Línguas', 'Lingue'),
  tax_number: l(
    'Tax number (NIF)',
    'Número fiscal (NIF)',
    'Numéro fiscal (NIF)',
    'Steuernummer (NIF)',
    'Número fiscal (NIF)',
    'Codice fiscale (NIF)',
  ),
  short_let: l(
    'Short holiday lets',
    'Alquiler vacacional de corta duración',
    'Location saisonnière de courte durée',
    'Kurzzeitvermietung an Urlauber',
    'Alojamento local (curta duração)',
    'Affitti brevi per turisti',
  ),
  tourist_tax: l('Tourist tax', 'Tasa turística', 'Taxe de séjour', 'Kurtaxe', 'Taxa turística', 'Tassa di soggiorno'),
  accessibility: l(
    'Accessibility',
    'Accesibilidad',
    'Accessibilité',
    'Barrierefreiheit',
    'Acessibilidade',
    'Accessibilità',
  ),
};

/** The concept's name in `language`, when it has one (rendering a fact needs it). */
export function conceptLabel(concept: string, language: ContentLanguage): string | undefined {
  return LABELS[concept]?.[language];
}

/** The concept's words in the given languages, plain (for a search query): a Spanish question finds an English document. */
export function conceptTerms(concept: string, languages: readonly ContentLanguage[]): string[] {
  const terms = CONCEPT_LEXICON[concept]?.terms;
  if (!terms) return [];
  return languages
    .flatMap((language) => terms[language] ?? [])
    .map((t) => t.replace(/^!/, '').replace(/\*/g, ''))
    .filter((t) => t.length > 2);
}

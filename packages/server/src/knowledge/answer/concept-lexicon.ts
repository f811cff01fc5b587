import type { ContentLanguage } from '@leaddesk/shared';
import { fold } from '../../replies/structured/extract.js';

/**
 * The topics a visitor's question and a knowledge passage are compared on,
 * in the six content languages, so that a passage in one language can answer
 * a question in another ("¿Cuánto cuesta una limpieza?" → "Cleaning: $95").
 *
 * A `subject` is what a question is about (cleaning, insurance, parking): a
 * passage answers only if it names the same subject. An `aspect` is what is
 * asked about the subject (its price, the weekend): it ranks passages but
 * never makes one answer on its own.
 *
 * Terms are folded (lower case, no accents) and match at the start of a word;
 * a term ending in `$` must be the whole word. German compounds are listed
 * whole ("zahnreinigung"), since they do not start with the concept's word.
 */
export type ConceptKind = 'subject' | 'aspect';

export interface ConceptEntry {
  kind: ConceptKind;
  terms: Partial<Record<ContentLanguage, string[]>>;
  /** How to name it in each language when an answer is rendered from a foreign passage. */
  label: Record<ContentLanguage, string>;
}

export const CONCEPTS = {
  price: {
    kind: 'aspect',
    terms: {
      en: ['price', 'cost', 'how much', 'fee', 'fees$', 'charge', 'rates$', 'tariff'],
      es: ['precio', 'cuesta', 'cuestan', 'cuanto', 'tarifa', 'coste', 'costo', 'cobran'],
      fr: ['prix', 'combien', 'coute', 'tarif', 'frais'],
      de: ['preis', 'kostet', 'kosten', 'wie viel', 'wieviel', 'gebuhr', 'gebuehr'],
      pt: ['preco', 'custa', 'custo', 'quanto', 'valor', 'taxa'],
      it: ['prezz', 'costa$', 'costano', 'costo', 'quanto', 'tariff'],
    },
    label: { en: 'Price', es: 'Precio', fr: 'Prix', de: 'Preis', pt: 'Preço', it: 'Prezzo' },
  },
  weekend: {
    kind: 'aspect',
    terms: {
      en: ['weekend', 'saturday', 'sunday'],
      es: ['fin de semana', 'sabado', 'domingo'],
      fr: ['week-end', 'weekend', 'samedi', 'dimanche'],
      de: ['wochenende', 'samstag', 'sonntag'],
      pt: ['fim de semana', 'sabado', 'domingo'],
      it: ['fine settimana', 'weekend', 'sabato', 'domenica'],
    },
    label: { en: 'Weekend', es: 'Fin de semana', fr: 'Week-end', de: 'Wochenende', pt: 'Fim de semana', it: 'Weekend' },
  },
  cleaning: {
    kind: 'subject',
    terms: {
      en: ['cleaning', 'clean$', 'hygiene', 'hygienist', 'scale and polish', 'scaling'],
      es: ['limpieza', 'higiene', 'profilaxis'],
      fr: ['detartrage', 'nettoyage', 'hygiene'],
      de: ['reinigung', 'zahnreinigung', 'prophylaxe', 'dentalhygiene'],
      pt: ['limpeza', 'higiene', 'destartarizacao', 'profilaxia'],
      it: ['pulizia', 'igiene', 'ablazione', 'detartrasi'],
    },
    label: {
      en: 'Cleaning',
      es: 'Limpieza dental',
      fr: 'Détartrage',
      de: 'Zahnreinigung',
      pt: 'Limpeza dentária',
      it: 'Pulizia dei denti',
    },
  },
  checkup: {
    kind: 'subject',
    terms: {
      en: ['check-up', 'checkup', 'check up', 'exam$', 'exams$', 'examination'],
      es: ['revision', 'chequeo', 'control dental'],
      fr: ['controle', 'bilan', 'examen'],
      de: ['kontrolle', 'untersuchung', 'vorsorge', 'kontrolluntersuchung'],
      pt: ['check-up', 'revisao', 'consulta de rotina'],
      it: ['controllo', 'visita di controllo', 'check-up'],
    },
    label: { en: 'Check-up', es: 'Revisión', fr: 'Contrôle', de: 'Kontrolle', pt: 'Check-up', it: 'Controllo' },
  },
  whitening: {
    kind: 'subject',
    terms: {
      en: ['whitening', 'whiten', 'bleaching'],
      es: ['blanqueamiento', 'blanquear'],
      fr: ['blanchiment', 'blanchir'],
      de: ['bleaching', 'aufhellung', 'zahnaufhellung', 'aufhellen'],
      pt: ['branqueamento', 'clareamento', 'branquear'],
      it: ['sbiancamento', 'sbiancare'],
    },
    label: {
      en: 'Teeth whitening',
      es: 'Blanqueamiento dental',
      fr: 'Blanchiment des dents',
      de: 'Zahnaufhellung',
      pt: 'Branqueamento dentário',
      it: 'Sbiancamento dentale',
    },
  },
  implants: {
    kind: 'subject',
    terms: {
      en: ['implant'],
      es: ['implante'],
      fr: ['implant'],
      de: ['implantat', 'zahnimplantat'],
      pt: ['implante'],
      it: ['impiant'],
    },
    label: {
      en: 'Dental implants',
      es: 'Implantes dentales',
      fr: 'Implants dentaires',
      de: 'Zahnimplantate',
      pt: 'Implantes dentários',
      it: 'Impianti dentali',
    },
  },
  orthodontics: {
    kind: 'subject',
    terms: {
      en: ['invisalign', 'aligner', 'braces', 'orthodont'],
      es: ['invisalign', 'ortodoncia', 'brackets', 'alineadores', 'frenos'],
      fr: ['invisalign', 'orthodont', 'aligneur', 'appareil dentaire'],
      de: ['invisalign', 'zahnspange', 'aligner', 'kieferorthop'],
      pt: ['invisalign', 'ortodont', 'alinhadores', 'aparelho dentario', 'aparelho'],
      it: ['invisalign', 'ortodonz', 'allineatori', 'apparecchio'],
    },
    label: {
      en: 'Invisalign',
      es: 'Invisalign',
      fr: 'Invisalign',
      de: 'Invisalign',
      pt: 'Invisalign',
      it: 'Invisalign',
    },
  },
  emergency: {
    kind: 'subject',
    terms: {
      en: ['emergenc', 'urgent care', 'same day', 'same-day'],
      es: ['urgencia', 'emergencia'],
      fr: ['urgence'],
      de: ['notfall', 'notdienst', 'notfalle'],
      pt: ['urgencia', 'emergencia'],
      it: ['urgenz', 'emergenz'],
    },
    label: {
      en: 'Emergency care',
      es: 'Urgencias',
      fr: 'Urgences',
      de: 'Notfallbehandlung',
      pt: 'Urgências',
      it: 'Urgenze',
    },
  },
  insurance: {
    kind: 'subject',
    terms: {
      en: ['insurance', 'insurer', 'insured', 'coverage'],
      es: ['seguro', 'aseguradora', 'mutua'],
      fr: ['assurance', 'mutuelle', 'assure'],
      de: ['versicherung', 'versichert', 'krankenkasse', 'krankenversicherung', 'zusatzversicherung'],
      pt: ['seguro', 'seguradora', 'convenio', 'plano de saude', 'plano dentario'],
      it: ['assicurazion', 'assicurat', 'polizza'],
    },
    label: {
      en: 'Insurance',
      es: 'Seguros',
      fr: 'Assurances',
      de: 'Versicherungen',
      pt: 'Seguros',
      it: 'Assicurazioni',
    },
  },
  cancellation_policy: {
    kind: 'subject',
    terms: {
      en: ['cancel', 'no-show', 'no show'],
      es: ['cancela', 'anula'],
      fr: ['annul'],
      de: ['storn', 'absage', 'absagen', 'abzusagen', 'kundigung'],
      pt: ['cancela', 'desmarca'],
      it: ['annull', 'disdett', 'disdire', 'cancellazion'],
    },
    label: {
      en: 'Cancellation',
      es: 'Cancelación',
      fr: 'Annulation',
      de: 'Stornierung',
      pt: 'Cancelamento',
      it: 'Cancellazione',
    },
  },
  parking: {
    kind: 'subject',
    terms: {
      en: ['parking', 'park$', 'car park'],
      es: ['aparcamiento', 'aparcar', 'parking', 'estacionamiento', 'estacionar'],
      fr: ['parking', 'stationnement', 'se garer', 'garer'],
      de: ['parkplatz', 'parkplatze', 'parken', 'parkhaus', 'tiefgarage'],
      pt: ['estacionamento', 'estacionar', 'parque de estacionamento'],
      it: ['parcheggi', 'posteggio'],
    },
    label: { en: 'Parking', es: 'Aparcamiento', fr: 'Parking', de: 'Parken', pt: 'Estacionamento', it: 'Parcheggio' },
  },
  location: {
    kind: 'subject',
    terms: {
      en: ['address', 'located', 'location', 'directions', 'where are you'],
      es: ['direccion', 'ubicad', 'ubicacion', 'donde estan', 'donde se encuentran'],
      fr: ['adresse', 'situe', 'ou etes-vous', 'ou etes vous', 'ou vous trouvez'],
      de: ['adresse', 'anfahrt', 'wo sind sie', 'wo befinde', 'wo finde ich'],
      pt: ['morada', 'endereco', 'localiza', 'onde ficam', 'onde estao'],
      it: ['indirizzo', 'dove siete', 'dove vi trovate', 'si trova'],
    },
    label: { en: 'Address', es: 'Dirección', fr: 'Adresse', de: 'Adresse', pt: 'Morada', it: 'Indirizzo' },
  },
  hours: {
    kind: 'subject',
    terms: {
      en: ['opening hours', 'open$', 'opens$', 'hours$', 'closing', 'close$', 'closes$'],
      es: ['horario', 'abren', 'abierto', 'cierran'],
      fr: ['horaire', 'ouvert', 'ouvre', 'ferme'],
      de: ['offnungszeit', 'geoffnet', 'offnen', 'sprechzeit', 'sprechstunde'],
      pt: ['horario', 'abrem', 'aberto', 'fecham'],
      it: ['orari', 'orario', 'aperti', 'aprite', 'chiudete'],
    },
    label: { en: 'Opening hours', es: 'Horario', fr: 'Horaires', de: 'Öffnungszeiten', pt: 'Horário', it: 'Orari' },
  },
  payment: {
    kind: 'subject',
    terms: {
      en: ['pay$', 'payment', 'paying', 'credit card', 'cash$', 'financing', 'instalment', 'installment'],
      es: ['pagar', 'pago', 'tarjeta', 'efectivo', 'financiacion', 'a plazos'],
      fr: ['payer', 'paiement', 'carte bancaire', 'especes', 'financement'],
      de: ['zahlen', 'bezahlen', 'zahlung', 'ratenzahlung', 'finanzierung', 'kreditkarte', 'barzahlung'],
      pt: ['pagar', 'pagamento', 'cartao', 'financiamento', 'prestacoes'],
      it: ['pagare', 'pagamento', 'carta di credito', 'contanti', 'finanziamento'],
    },
    label: { en: 'Payment', es: 'Pago', fr: 'Paiement', de: 'Zahlung', pt: 'Pagamento', it: 'Pagamento' },
  },
  check_in: {
    kind: 'subject',
    terms: {
      en: ['check-in', 'check in', 'checkin', 'check-out', 'check out', 'checkout'],
      es: ['check-in', 'check-out', 'hora de entrada', 'hora de salida'],
      fr: ['check-in', 'check-out', "heure d'arrivee", 'heure de depart'],
      de: ['check-in', 'check-out', 'einchecken', 'auschecken', 'anreise', 'abreise'],
      pt: ['check-in', 'check-out', 'hora de entrada', 'hora de saida'],
      it: ['check-in', 'check-out', 'orario di arrivo', 'orario di partenza'],
    },
    label: {
      en: 'Check-in / check-out',
      es: 'Entrada / salida',
      fr: 'Arrivée / départ',
      de: 'Check-in / Check-out',
      pt: 'Check-in / check-out',
      it: 'Check-in / check-out',
    },
  },
  breakfast: {
    kind: 'subject',
    terms: {
      en: ['breakfast'],
      es: ['desayuno'],
      fr: ['petit-dejeuner', 'petit dejeuner'],
      de: ['fruhstuck'],
      pt: ['pequeno-almoco', 'pequeno almoco', 'cafe da manha'],
      it: ['colazione'],
    },
    label: {
      en: 'Breakfast',
      es: 'Desayuno',
      fr: 'Petit-déjeuner',
      de: 'Frühstück',
      pt: 'Pequeno-almoço',
      it: 'Colazione',
    },
  },
  airport_transfer: {
    kind: 'subject',
    terms: {
      en: ['airport', 'shuttle', 'transfer'],
      es: ['aeropuerto', 'traslado', 'transfer'],
      fr: ['aeroport', 'navette', 'transfert'],
      de: ['flughafen', 'shuttle', 'transfer'],
      pt: ['aeroporto', 'transfer', 'traslado'],
      it: ['aeroporto', 'navetta', 'transfer'],
    },
    label: {
      en: 'Airport transfer',
      es: 'Traslado al aeropuerto',
      fr: "Transfert depuis l'aéroport",
      de: 'Flughafentransfer',
      pt: 'Transfer do aeroporto',
      it: "Transfer dall'aeroporto",
    },
  },
  pets: {
    kind: 'subject',
    terms: {
      en: ['pet$', 'pets$', 'dog', 'cat$', 'cats$'],
      es: ['mascota', 'perro', 'gato'],
      fr: ['animal', 'animaux', 'chien', 'chiens'],
      de: ['haustier', 'hund', 'katze'],
      pt: ['animal', 'animais', 'cao$', 'caes$', 'cachorro', 'gato'],
      it: ['animali', 'cane$', 'cani$', 'gatto', 'gatti'],
    },
    label: { en: 'Pets', es: 'Mascotas', fr: 'Animaux', de: 'Haustiere', pt: 'Animais', it: 'Animali' },
  },
  rooms: {
    kind: 'subject',
    terms: {
      en: ['room$', 'rooms$', 'suite', 'double room', 'single room'],
      es: ['habitacion', 'suite'],
      fr: ['chambre', 'suite'],
      de: ['zimmer', 'suite', 'doppelzimmer', 'einzelzimmer'],
      pt: ['quarto', 'suite'],
      it: ['camera', 'camere', 'suite'],
    },
    label: { en: 'Rooms', es: 'Habitaciones', fr: 'Chambres', de: 'Zimmer', pt: 'Quartos', it: 'Camere' },
  },
  valuation: {
    kind: 'subject',
    terms: {
      en: ['valuation', 'appraisal', 'value my'],
      es: ['valoracion', 'tasacion', 'tasar'],
      fr: ['estimation', 'estimer', 'evaluation'],
      de: ['bewertung', 'wertermittlung', 'schatzung', 'bewerten'],
      pt: ['avaliacao', 'avaliar'],
      it: ['valutazione', 'stima', 'valutare'],
    },
    label: {
      en: 'Valuation',
      es: 'Valoración',
      fr: 'Estimation',
      de: 'Bewertung',
      pt: 'Avaliação',
      it: 'Valutazione',
    },
  },
  selling: {
    kind: 'subject',
    terms: {
      en: ['sell', 'selling', 'commission'],
      es: ['vender', 'venta', 'comision', 'honorarios'],
      fr: ['vendre', 'vente', 'commission', 'honoraires'],
      de: ['verkauf', 'verkaufen', 'provision', 'maklerprovision', 'courtage'],
      pt: ['vender', 'venda', 'comissao'],
      it: ['vender', 'vendita', 'provvigione'],
    },
    label: {
      en: 'Selling fee',
      es: 'Comisión de venta',
      fr: 'Frais de vente',
      de: 'Verkaufsprovision',
      pt: 'Comissão de venda',
      it: 'Provvigione di vendita',
    },
  },
  viewing: {
    kind: 'subject',
    terms: {
      en: ['viewing', 'view the', 'see the property'],
      es: ['visita', 'visitar', 'ver el piso', 'ver la casa'],
      fr: ['visite', 'visiter'],
      de: ['besichtigung', 'besichtigen'],
      pt: ['visita', 'visitar'],
      it: ['visita', 'visitare'],
    },
    label: { en: 'Viewings', es: 'Visitas', fr: 'Visites', de: 'Besichtigungen', pt: 'Visitas', it: 'Visite' },
  },
} satisfies Record<string, ConceptEntry>;

export type ConceptId = keyof typeof CONCEPTS;
export const CONCEPT_IDS = Object.keys(CONCEPTS) as ConceptId[];

function escapeTerm(term: string): string {
  return term.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/[\s-]+/g, '[\\s-]*');
}

/** One pattern per concept over every language: a question in one language, a passage in another. */
const PATTERNS: Array<{ id: ConceptId; pattern: RegExp }> = CONCEPT_IDS.map((id) => {
  const entry: ConceptEntry = CONCEPTS[id];
  const alternatives = Object.values(entry.terms)
    .flat()
    .map((raw) => {
      const whole = raw.endsWith('$');
      const term = whole ? raw.slice(0, -1) : raw;
      return `${escapeTerm(term)}${whole ? '(?![\\p{L}\\p{N}])' : ''}`;
    });
  return { id, pattern: new RegExp(`(?<![\\p{L}\\p{N}])(?:${[...new Set(alternatives)].join('|')})`, 'gu') };
});

export interface FoundConcept {
  concept: ConceptId;
  /** The words it was found in (folded). */
  text: string;
}

/**
 * The concepts a text names, in every language (the text's own language is
 * not needed: a passage's language is rarely known). Same shape as the
 * understanding module's `findConcepts`.
 */
export function findConcepts(text: string): FoundConcept[] {
  const folded = fold(text);
  const found: FoundConcept[] = [];
  for (const { id, pattern } of PATTERNS) {
    pattern.lastIndex = 0;
    const m = pattern.exec(folded);
    if (m) found.push({ concept: id, text: m[0] });
  }
  return found;
}

export function conceptKind(id: ConceptId): ConceptKind {
  return (CONCEPTS[id] as ConceptEntry).kind;
}

export function conceptLabel(id: ConceptId, language: ContentLanguage): string {
  return (CONCEPTS[id] as ConceptEntry).label[language];
}

/** The concept's words in the given languages: a query in Spanish also finds an English document. */
export function conceptTerms(id: ConceptId, languages: readonly ContentLanguage[]): string[] {
  const entry: ConceptEntry = CONCEPTS[id];
  return languages.flatMap((l) => (entry.terms[l] ?? []).map((t) => t.replace(/\$$/, '')));
}

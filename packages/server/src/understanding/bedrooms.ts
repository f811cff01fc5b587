import { NUMBER_WORD_PATTERN, readCount } from './numbers.js';

/**
 * Bedrooms asked for, in the product's definition (docs/eval.md): bedrooms,
 * not rooms. "3 bedrooms", "3 habitaciones/dormitorios", "3 chambres",
 * "3 quartos", "3 camere da letto" are bedrooms; counts that include the
 * living room are converted: German "3-Zimmer-Wohnung", Italian "trilocale"
 * or "3 locali", French "T3"/"F3" or "3 pièces", Portuguese "3 assoalhadas"
 * and Argentine "3 ambientes" are 2 bedrooms. A Portuguese T3 counts bedrooms
 * (3), so a "T" is read by the message's language.
 */

const N = `(\\d{1,2}|${NUMBER_WORD_PATTERN})`;
/** Words that are always bedrooms. */
const BEDROOM_WORDS =
  '(?:bedrooms?|br|bdr|bhk|dormitorios?|recamaras?|alcobas?|chambres? a coucher|schlafzimmer|quartos de dormir|camere? da letto|stanze da letto)';
/** Words that are rooms or bedrooms depending on the business: a hotel's "2 habitaciones" are not bedrooms. */
const ROOM_WORDS =
  '(?:rooms?|habitaciones?|cuartos?|ambientes|chambres?|pieces|zimmern?|raumen?|raume?|quartos?|assoalhadas|camere?|stanze|locali|vani)';
/** Rooms including the living room. */
const ITALIAN_LOCALE: Record<string, number> = {
  monolocale: 1,
  bilocale: 2,
  trilocale: 3,
  quadrilocale: 4,
  pentalocale: 5,
};
/** Room words that count the living room too. */
const WITH_LIVING_ROOM = /^(?:ambientes|pieces|zimmern?|raumen?|raume?|assoalhadas|locali|vani)$/;
const bedroomsOf = (rooms: number) => Math.max(0, rooms - 1);

const PROPERTY =
  /\b(?:flat|apartment|apt|condo|house|home|property|villa|duplex|penthouse|studio|piso|casa|chalet|atico|vivienda|inmueble|departamento|appartement|maison|logement|bien|wohnung|haus|immobilie|eigentumswohnung|whg|imovel|moradia|vivenda|apartamento|appartamento|attico|immobile|buy|rent|comprar|alquilar|acheter|louer|kaufen|mieten|arrendar|alugar|comprare|affittare)\b/;

const BEDROOMS_RE = new RegExp(`(?<![\\d.,:])${N}[\\s-]*${BEDROOM_WORDS}(?![a-z])`);
const ROOMS_RE = new RegExp(`(?<![\\d.,:])${N}[\\s-]*${ROOM_WORDS}(?![a-z])`);
const GERMAN_ROOMS =
  /(?<![\d.,])(\d{1,2})(?:[,.]5)?\s*-?\s*(?:zimmern?|zi\.?|raum)(?:\s*-?\s*(?:wohnung|whg\.?|apartment))?(?![a-z])/;
const T_TYPE = /\b[tf]\s?([0-6])(?:\s?\+\s?1)?\b/;
const ITALIAN = /\b(monolocale|bilocale|trilocale|quadrilocale|pentalocale)\b/;

export function extractBedrooms(
  folded: string,
  industry?: string | null,
  language?: string,
): { n: number; text: string } | undefined {
  const bed = BEDROOMS_RE.exec(folded);
  if (bed) {
    const n = readCount(bed[1]);
    if (n !== undefined && n >= 1 && n <= 12) return { n, text: bed[0] };
  }
  const it = ITALIAN.exec(folded);
  if (it?.[1]) return { n: bedroomsOf(ITALIAN_LOCALE[it[1]] as number), text: it[0] };
  // Room words name bedrooms only where property is meant, never a hotel's rooms.
  const property = industry === 'real_estate' || (industry !== 'hotel' && PROPERTY.test(folded));
  if (!property) return undefined;
  const beds = new RegExp(`(?<![\\d.,:])${N}[\\s-]*beds?\\b`).exec(folded);
  if (beds) {
    const n = readCount(beds[1]);
    if (n !== undefined && n >= 1 && n <= 12) return { n, text: beds[0] };
  }
  const de = GERMAN_ROOMS.exec(folded);
  if (de) return { n: bedroomsOf(Number(de[1])), text: de[0] };
  const t = T_TYPE.exec(folded);
  // A French T3 or any F3 counts pièces; a Portuguese T3 counts bedrooms.
  if (t) return { n: language === 'fr' || t[0].startsWith('f') ? bedroomsOf(Number(t[1])) : Number(t[1]), text: t[0] };
  const rooms = ROOMS_RE.exec(folded);
  if (rooms) {
    const n = readCount(rooms[1]);
    const unit = rooms[0].split(/[\s-]+/).at(-1) ?? '';
    if (n !== undefined && n >= 1 && n <= 12)
      return { n: WITH_LIVING_ROOM.test(unit) ? bedroomsOf(n) : n, text: rooms[0] };
  }
  return undefined;
}

import { NUMBER_WORD_PATTERN, readCount } from './numbers.js';
import type { UnderstoodParty } from './types.js';

/**
 * Party size: how many people come, split into adults and children when the
 * visitor says so ("2 adults and 2 kids", "mi mujer y yo con nuestros 3
 * hijos"). Only counts attached to people words or phrases ("somos 4", "table
 * for two") are read, so a time ("a las 22:30"), an age ("mi hija de 12 años")
 * or a room number never becomes a party.
 */

const N = `(\\d{1,3}|${NUMBER_WORD_PATTERN})(?![a-z])`;
const PEOPLE =
  '(?:people|persons?|guests?|pax|travell?ers|visitors|personas?|huespedes|invitados|viajeros|personnes?|invites|voyageurs|pers|personen|pers\\.|gaste[n]?|reisende|leute|pessoas?|hospedes|convidados|viajantes|persone|ospiti|viaggiatori|invitati)';
const ADULTS = '(?:adults?|adultos?|adultes?|erwachsene[n]?|adulti|grown-?ups)';
const CHILDREN =
  '(?:children|child|kids?|little ones|babies|baby|toddlers?|teenagers?|teens|ninos?|ninas?|hijos|hijas|bebes?|enfants?|petits|kinder[n]?|kind|kleinkind(?:er)?|criancas?|filhos|filhas|miudos|bambini|bambine|bambino|bambina|figli|figlie|ragazzi|neonato)';
const RELATIVE =
  '(?:wife|husband|partner|girlfriend|boyfriend|fiancee?|spouse|friend|son|daughter|mom|mum|mother|dad|father|sister|brother|colleague|mujer|esposa|esposo|marido|pareja|novia|novio|amig[oa]|hij[oa]|madre|padre|herman[oa]|companer[oa]|femme|mari|epou[x]?|epouse|conjointe?|compagne|compagnon|copine|copain|amie?|fils|fille|mere|pere|soeur|frere|frau|mann|ehemann|ehefrau|partnerin|freundin|freund|sohn|tochter|mutter|vater|schwester|bruder|kollegin|kollege|mulher|namorad[oa]|companheir[oa]|filh[oa]|mae|pai|irma|irmao|moglie|marito|compagn[oa]|ragazz[oa]|figli[oa]|fidanzat[oa]|sorella|fratello|amic[oa])';
const MY = '(?:my|mi|mis|ma|mon|mes|meine[mn]?|mein|meinem|a minha|o meu|minha|meu|mia|mio|la mia|il mio)';
/** Words after a count that make it something else than people. */
const NOT_PEOPLE_AFTER =
  /^\s*(?::|h\b|hrs?\b|uhr|pm|am|nights?|noches?|nuits?|nachte?|noites?|nott[ei]|days?|dias?|jours?|tage[n]?|giorni|weeks?|semanas?|semaines?|wochen?|settimane?|months?|mes(?:es)?|mois|monate?|mesi|years?|anos?|ans?|jahre?n?|anni|rooms?|habitacion|chambres?|zimmer|quartos?|camere?|de (?:enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre)|[%€$£]|euros?|dollars?|eur|usd)/;

const ADULTS_RE = new RegExp(`(?<![\\d.,:])${N}\\s+${ADULTS}\\b`, 'g');
const CHILDREN_RE = new RegExp(
  `(?<![\\d.,:])${N}\\s+(?:(?:small|young|little|pequenos|petits|kleine[n]?|pequenos|piccoli)\\s+)?${CHILDREN}\\b`,
  'g',
);
const PEOPLE_RE = new RegExp(`(?<![\\d.,:])${N}\\s+(?:(?:adult|grown|more)\\s+)?${PEOPLE}\\b|\\b${N}\\s+of us\\b`, 'g');
const WE_ARE = new RegExp(
  `\\b(?:we are|we're|we will be|we'll be|there are|there will be|there'll be|somos|seremos|vamos a ser|nous sommes|nous serons|on est|on sera|wir sind|wir werden|wir kommen (?:zu|mit)|sind wir|seremos|vamos ser|siamo|saremo)\\s+(?:in\\s+|zu\\s+|a\\s+|un total de\\s+|insgesamt\\s+|about\\s+|around\\s+)?${N}(?![\\d:]|[.,]\\d)`,
  'g',
);
const GROUP_OF = new RegExp(
  `\\b(?:party|group|table|family|famille|groupe|table|grupo|familia|mesa|gruppe|familie|tisch|gruppo|famiglia|tavolo|familia)\\s+(?:of|de|di|da|von|mit|fur|per|pour|para)\\s+${N}(?![\\d:]|[.,]\\d)`,
  'g',
);
const FOR_N = new RegExp(`\\b(?:for|para|pour|fur|per)\\s+${N}(?![\\d:]|[.,]\\d)`, 'g');
const COUPLE = new RegExp(
  [
    `\\b(?:me|myself) and ${MY} ${RELATIVE}\\b`,
    `\\b${MY} ${RELATIVE} and (?:i|me|myself)\\b`,
    `\\b(?:yo|moi|ich|eu|io) (?:y|et|und|e|con|avec|mit|com) ${MY} ${RELATIVE}\\b`,
    `\\b${MY} ${RELATIVE} (?:y|et|und|e) (?:yo|moi|ich|eu|io)\\b`,
    `\\b(?:a couple|as a couple|una pareja|en pareja|un couple|en couple|als paar|ein ehepaar|um casal|una coppia|in coppia)\\b(?!\\s+(?:of|de|di)\\s+(?:\\d|days|weeks|hours|nights|months|years|minutes|things|questions|dias|semanas|horas|noches|meses|anos|cosas|preguntas|jours|semaines|heures|nuits|mois|ans|choses|questions|coisas|perguntas|noites|giorni|settimane|ore|notti|mesi|anni|cose|domande))`,
  ].join('|'),
);
/** Self plus relatives: "para mí y mi hija", "per me e mio marito", "para mim e para os meus dois filhos". */
const SELF = '(?:for me|me|myself|i|para mi|yo|pour moi|moi|fur mich|ich|para mim|eu|per me|io)';
const MY_ANY =
  '(?:my|mi|mis|ma|mon|mes|meine[mn]?|mein|meinem|meiner|minha|meu|meus|minhas|a minha|o meu|os meus|as minhas|mia|mio|miei|mie|la mia|il mio|i miei|le mie)';
const SELF_AND = new RegExp(
  `\\b${SELF}\\s+(?:y|e|et|und|and|con|com|with|avec|mit)\\s+(?:(?:para|per|pour|fur|for)\\s+)?${MY_ANY}\\s+(?:(\\d{1,2}|${NUMBER_WORD_PATTERN})\\s+)?([a-z]+)`,
);
const CHILD_RELATIVE =
  /^(?:son|sons|daughters?|kids?|children|child|baby|hij[oa]s?|nin[oa]s?|bebe|fils|filles?|enfants?|sohn|sohne|tochter|kinder|kind|filh[oa]s?|criancas?|figli[oa]?|figlie|bambin[oi]|bambin[ae])$/;
/** One child named without a count: "2 adults and a 4 year old", "un bébé de 8 mois". */
const ONE_CHILD =
  /\b(?:(?:an?|one|un|una|uma|um|ein|eine[nm]?)\s+\d{1,2}[\s-]*(?:year|yr|month)s?[\s-]*old|an?\s+(?:baby|toddler|infant|child|kid))\b/g;

const ALONE =
  /\b(?:just me|only me|by myself|on my own|travell?ing alone|solo yo|yo solo|viajo sol[oa]|je suis seule?|je voyage seule?|moi seule?|nur ich|ich allein|ich reise allein|so eu|viajo sozinh[oa]|solo io|viaggio da sol[oa])\b/;

/** "wir sind zu viert": German counts a group with an ordinal. */
const GERMAN_ORDINAL_COUNT: Record<string, number> = {
  zweit: 2,
  dritt: 3,
  viert: 4,
  funft: 5,
  sechst: 6,
  siebt: 7,
  acht: 8,
  neunt: 9,
  zehnt: 10,
};
const GERMAN_ZU = /\bzu (zweit|dritt|viert|funft|sechst|siebt|acht|neunt|zehnt)\b/;

function firstCount(re: RegExp, folded: string, skipUnits = true): { n: number; text: string } | undefined {
  re.lastIndex = 0;
  for (let m = re.exec(folded); m; m = re.exec(folded)) {
    const token = m.slice(1).find((g) => g !== undefined);
    const n = readCount(token);
    if (n === undefined || n < 1 || n > 500) continue;
    if (skipUnits && NOT_PEOPLE_AFTER.test(folded.slice(m.index + m[0].length))) continue;
    return { n, text: m[0] };
  }
  return undefined;
}

function sumCounts(re: RegExp, folded: string): { n: number; text: string } | undefined {
  let total = 0;
  const texts: string[] = [];
  re.lastIndex = 0;
  for (let m = re.exec(folded); m; m = re.exec(folded)) {
    const n = readCount(m[1]);
    if (n === undefined || n < 1 || n > 200) continue;
    total += n;
    texts.push(m[0]);
  }
  return total ? { n: total, text: texts.join(', ') } : undefined;
}

function countMatches(re: RegExp, folded: string): number {
  re.lastIndex = 0;
  return folded.match(re)?.length ?? 0;
}

export function extractParty(folded: string): UnderstoodParty | undefined {
  const adults = sumCounts(ADULTS_RE, folded);
  const counted = sumCounts(CHILDREN_RE, folded);
  const single = countMatches(ONE_CHILD, folded);
  const childCount = (counted?.n ?? 0) + single;
  const children = childCount ? { n: childCount, text: counted?.text ?? 'child' } : undefined;
  const couple = COUPLE.exec(folded);
  if (adults) {
    const total = adults.n + (children?.n ?? 0);
    return {
      total,
      adults: adults.n,
      children: children?.n,
      text: [adults.text, children?.text].filter(Boolean).join(' + '),
    };
  }
  if (couple) {
    return {
      total: 2 + (children?.n ?? 0),
      adults: 2,
      children: children?.n,
      text: [couple[0], children?.text].filter(Boolean).join(' + '),
    };
  }
  const self = SELF_AND.exec(folded);
  if (self?.[2] && (CHILD_RELATIVE.test(self[2]) || new RegExp(`^${RELATIVE}$`).test(self[2]))) {
    const n = self[1] ? (readCount(self[1]) ?? 1) : 1;
    const kids = CHILD_RELATIVE.test(self[2]);
    return kids
      ? { total: 1 + n, adults: 1, children: n, text: self[0] }
      : { total: 1 + n + (children?.n ?? 0), adults: 1 + n, children: children?.n, text: self[0] };
  }
  // "una persona", "we are a family of 5": an article is not a party of one.
  const notArticle = (c: { n: number; text: string } | undefined) =>
    c && (c.n > 1 || /\d/.test(c.text)) ? c : undefined;
  const people =
    notArticle(firstCount(PEOPLE_RE, folded, false)) ??
    notArticle(firstCount(WE_ARE, folded)) ??
    firstCount(GROUP_OF, folded);
  if (people) {
    const kids = children && children.n < people.n ? children.n : undefined;
    return { total: people.n, adults: kids ? people.n - kids : undefined, children: kids, text: people.text };
  }
  const zu = GERMAN_ZU.exec(folded);
  if (zu?.[1]) return { total: GERMAN_ORDINAL_COUNT[zu[1]] as number, text: zu[0] };
  const alone = ALONE.exec(folded);
  if (alone) return { total: 1 + (children?.n ?? 0), adults: 1, children: children?.n, text: alone[0] };
  // "a table for two", "una habitación para dos": a bare count after "for" when nothing follows that makes it a duration.
  const forN = firstCount(FOR_N, folded);
  // "for a", "para un", "für eine" are articles, not a party of one.
  if (forN && forN.n >= 2 && forN.n <= 30) return { total: forN.n, text: forN.text };
  return undefined;
}

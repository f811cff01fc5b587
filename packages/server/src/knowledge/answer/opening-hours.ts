import type { ContentLanguage } from '@leaddesk/shared';
import { fold } from '../../understanding/fold.js';

/**
 * Opening hours as facts: "De lunes a viernes, de 8:00 a 19:00. Sábados, de
 * 9:00 a 14:00. Los domingos la clínica está cerrada." read as days and time
 * ranges, so a question in any language is answered in its own words
 * ("Saturday: 9:00–14:00") with weekday names from Intl, never with the
 * document's sentence pasted in another language.
 */
export interface HoursFact {
  /** 0 = Monday … 6 = Sunday. */
  days: number[];
  /** "8:00"–"19:00" pairs; empty when closed. */
  ranges: Array<[string, string]>;
  closed: boolean;
}

/** Folded weekday words of the six languages (singular and plural forms share a stem) → day index. */
const WEEKDAY_STEMS: Array<[RegExp, number]> = [
  [/^(monday|mondays|mon|lunes|lundi|lundis|montag|montags|mo|segunda|segundas|segunda-feira|lunedi)$/, 0],
  [/^(tuesday|tuesdays|tue|tues|martes|mardi|mardis|dienstag|dienstags|di|terca|tercas|terca-feira|martedi)$/, 1],
  [
    /^(wednesday|wednesdays|wed|miercoles|mercredi|mercredis|mittwoch|mittwochs|mi|quarta|quartas|quarta-feira|mercoledi)$/,
    2,
  ],
  [
    /^(thursday|thursdays|thu|thurs|jueves|jeudi|jeudis|donnerstag|donnerstags|do|quinta|quintas|quinta-feira|giovedi)$/,
    3,
  ],
  [/^(friday|fridays|fri|viernes|vendredi|vendredis|freitag|freitags|fr|sexta|sextas|sexta-feira|venerdi)$/, 4],
  [/^(saturday|saturdays|sat|sabado|sabados|samedi|samedis|samstag|samstags|sa|sabato|sabati)$/, 5],
  [/^(sunday|sundays|sun|domingo|domingos|dimanche|dimanches|sonntag|sonntags|so|domenica|domeniche)$/, 6],
];
/** Two-letter German abbreviations are also ordinary words elsewhere ("do", "so"): only in a "Mo–Fr" pattern. */
const SHORT = new Set([
  'mo',
  'di',
  'mi',
  'do',
  'fr',
  'sa',
  'so',
  'mon',
  'tue',
  'tues',
  'wed',
  'thu',
  'thurs',
  'fri',
  'sat',
  'sun',
]);

function dayOf(word: string, allowShort: boolean): number | undefined {
  if (!allowShort && SHORT.has(word)) return undefined;
  for (const [re, day] of WEEKDAY_STEMS) if (re.test(word)) return day;
  return undefined;
}

const WEEKEND = /\b(weekends?|fines? de semana|week-ends?|wochenende[n]?|fins? de semana|fine settimana|weekend)\b/;
const DAILY =
  /\b(daily|every day|seven days a week|7 days a week|todos los dias|tous les jours|taglich|todos os dias|tutti i giorni)\b/;
const CLOSED = /\b(closed|cerrad[ao]s?|ferme(e|s|es)?|geschlossen|fechad[ao]s?|chius[aoie])\b/;
/** "to", "a", "à", "bis", "até", "al", "-" between two days or two times. */
const THROUGH = String.raw`\s*(?:-|to|through|thru|till|until|a|al|hasta|au|a|bis|ate|as|alle|fino a)\s*`;
const TIME = String.raw`(\d{1,2})(?:[:.h](\d{2}))?\s*(am|pm|a\.m\.|p\.m\.|h|uhr)?`;
const TIME_RANGE = new RegExp(`${TIME}${THROUGH}(?:las\\s+|les\\s+|as\\s+|le\\s+)?${TIME}`, 'g');

function clock(h: string, m: string | undefined, suffix: string | undefined): string | null {
  let hour = Number(h);
  if (suffix?.startsWith('p') && hour < 12) hour += 12;
  if (suffix?.startsWith('a') && hour === 12) hour = 0;
  if (hour > 24 || Number(m ?? 0) > 59) return null;
  return `${hour}:${m ?? '00'}`;
}

/** The days a sentence names: single days, "lunes a viernes", "Mo–Fr", weekends, every day. */
function daysIn(folded: string): number[] {
  const days = new Set<number>();
  if (DAILY.test(folded)) for (let d = 0; d < 7; d++) days.add(d);
  if (WEEKEND.test(folded)) {
    days.add(5);
    days.add(6);
  }
  // "Mo-Fr", "lunes-viernes": a hyphen between two day names is a range.
  const spaced = folded
    .replace(/-feira\b/g, '')
    .replace(/\b([a-z]+)\s*-\s*([a-z]+)\b/g, (m, a: string, b: string) =>
      dayOf(a, true) !== undefined && dayOf(b, true) !== undefined ? `${a} - ${b}` : m,
    );
  const short =
    /\b(mo|mon|di|tue|mi|wed|do|thu|fr|fri|sa|sat|so|sun) - (mo|mon|di|tue|mi|wed|do|thu|fr|fri|sa|sat|so|sun)\b/.test(
      spaced,
    );
  const words = spaced.split(/[^a-z-]+/).filter(Boolean);
  for (let i = 0; i < words.length; i++) {
    const day = dayOf(words[i]!, short);
    if (day === undefined) continue;
    // "lunes a viernes", "Monday to Friday", "segunda a sexta": the days between.
    const connector = words[i + 1];
    const next = words[i + 2] !== undefined ? dayOf(words[i + 2]!, short) : undefined;
    if (connector && next !== undefined && /^(to|through|thru|a|al|au|bis|ate|alle|-)$/.test(connector)) {
      for (let d = day; d !== next; d = (d + 1) % 7) days.add(d);
      days.add(next);
      i += 2;
      continue;
    }
    days.add(day);
  }
  return [...days].sort((a, b) => a - b);
}

/** The opening-hours facts a passage states, sentence by sentence (a sentence without days states none). */
export function parseOpeningHours(sentences: string[]): HoursFact[] {
  const facts: HoursFact[] = [];
  for (const sentence of sentences) {
    const folded = fold(sentence).replace(/[–—]/g, '-');
    const days = daysIn(folded);
    if (!days.length) continue;
    const ranges: Array<[string, string]> = [];
    for (const m of folded.matchAll(TIME_RANGE)) {
      // A bare "3 - 5" without a separator or a suffix on either side is not a time range ("3-5 years").
      if (!m[2] && !m[3] && !m[5] && !m[6]) continue;
      const open = clock(m[1]!, m[2], m[3] ?? m[6]);
      const close = clock(m[4]!, m[5], m[6]);
      if (open && close) ranges.push([open, close]);
    }
    const closed = !ranges.length && CLOSED.test(folded);
    if (ranges.length || closed) facts.push({ days, ranges, closed });
  }
  return facts;
}

const CLOSED_WORD: Record<ContentLanguage, string> = {
  en: 'closed',
  es: 'cerrado',
  fr: 'fermé',
  de: 'geschlossen',
  pt: 'fechado',
  it: 'chiuso',
};

function weekdayName(day: number, language: ContentLanguage): string {
  // 2024-01-01 was a Monday.
  const name = new Intl.DateTimeFormat(language, { weekday: 'long', timeZone: 'UTC' }).format(
    new Date(Date.UTC(2024, 0, 1 + day)),
  );
  return name.charAt(0).toUpperCase() + name.slice(1);
}

function dayLabel(days: number[], language: ContentLanguage): string {
  const consecutive = days.length > 2 && days.every((d, i) => i === 0 || d === days[i - 1]! + 1);
  if (consecutive) return `${weekdayName(days[0]!, language)}–${weekdayName(days.at(-1)!, language)}`;
  return days.map((d) => weekdayName(d, language)).join(', ');
}

/** The weekdays a visitor's question names ("¿abren los sábados?" → [5]). */
export function weekdaysAsked(question: string): number[] {
  return daysIn(fold(question).replace(/[–—]/g, '-'));
}

/**
 * The facts rendered in `language`: only the asked days when the question names some
 * ("Sábado: 9:00–14:00."), else the whole week. Null when an asked day is not stated.
 */
export function renderOpeningHours(facts: HoursFact[], language: ContentLanguage, askedDays: number[]): string | null {
  if (!facts.length) return null;
  const lines: string[] = [];
  if (askedDays.length) {
    for (const day of askedDays) {
      const fact = facts.find((f) => f.days.includes(day));
      if (!fact) return null;
      lines.push(`${weekdayName(day, language)}: ${describe(fact, language)}`);
    }
  } else {
    for (const fact of facts) lines.push(`${dayLabel(fact.days, language)}: ${describe(fact, language)}`);
  }
  return `${lines.join('; ')}.`;
}

function describe(fact: HoursFact, language: ContentLanguage): string {
  return fact.closed ? CLOSED_WORD[language] : fact.ranges.map(([a, b]) => `${a}–${b}`).join(', ');
}

/** A clock time as written: "15:00", "9h30", "3 pm", "10.30 Uhr" (a bare number is not a time). */
const CLOCK = /(?<![\d.,])(\d{1,2})(?:[:.h](\d{2})\s*(am|pm|a\.m\.|p\.m\.|uhr|h)?|\s*(am|pm|a\.m\.|p\.m\.|uhr|h)\b)/g;
const FROM_WORDS = /\b(from|after|desde|a partir|des|dès|ab|dalle|dalla|depuis)\s*(?:the|las|les|as|das|den)?\s*$/;
const UNTIL_WORDS =
  /\b(by|until|till|before|hasta|antes|jusqu'?a?|avant|bis|vor|ate|entro|fino)\s*(?:the|las|les|as|às|alle|le)?\s*$/;
const FROM_LABEL: Record<ContentLanguage, string> = {
  en: 'from',
  es: 'desde las',
  fr: 'à partir de',
  de: 'ab',
  pt: 'a partir das',
  it: 'dalle',
};
const UNTIL_LABEL: Record<ContentLanguage, string> = {
  en: 'by',
  es: 'hasta las',
  fr: "jusqu'à",
  de: 'bis',
  pt: 'até às',
  it: 'entro le',
};

/**
 * The times a sentence states, said in `language`: "Check-in is from 3 pm (15:00)" → "a partir das 15:00",
 * "served from 7:00 to 10:30" → "7:00–10:30". Null when it states none.
 */
export function renderTimes(sentence: string, language: ContentLanguage): string | null {
  const folded = fold(sentence).replace(/[–—]/g, '-');
  const found: Array<{ at: number; end: number; time: string }> = [];
  for (const m of folded.matchAll(CLOCK)) {
    const time = clock(m[1]!, m[2], m[3] ?? m[4]);
    if (time) found.push({ at: m.index, end: m.index + m[0].length, time });
  }
  if (!found.length) return null;
  const parts: string[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < found.length; i++) {
    const t = found[i]!;
    const next = found[i + 1];
    // "7:00 to 10:30", "9h30 às 19h00": a range.
    if (next && new RegExp(`^${THROUGH}(?:las\\s+|les\\s+|as\\s+|le\\s+)?$`).test(folded.slice(t.end, next.at))) {
      parts.push(`${t.time}–${next.time}`);
      seen.add(t.time).add(next.time);
      i++;
      continue;
    }
    if (seen.has(t.time)) continue;
    seen.add(t.time);
    const before = folded.slice(Math.max(0, t.at - 16), t.at);
    if (FROM_WORDS.test(before)) parts.push(`${FROM_LABEL[language]} ${t.time}`);
    else if (UNTIL_WORDS.test(before)) parts.push(`${UNTIL_LABEL[language]} ${t.time}`);
    else parts.push(t.time);
  }
  return parts.join(', ');
}

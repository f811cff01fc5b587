import {
  addDays,
  compareDays,
  type Day,
  daysInMonth,
  easter,
  isoDay,
  isValidDay,
  localDay,
  weekday,
} from './calendar.js';
import {
  AFTER_TOMORROW,
  HOLIDAYS,
  MONTH_ABBREVIATIONS,
  MONTHS,
  NEXT_MONTH,
  NEXT_WEEK,
  NEXT_WEEKEND,
  PART_OF_DAY,
  PAST_AFTER,
  PAST_BEFORE,
  PAST_CONTEXT,
  THIS_WEEK,
  THIS_WEEKEND,
  TODAY,
  TOMORROW,
  TONIGHT,
  WEEKDAY_PT_SHORT,
  WEEKDAYS,
} from './date-words.js';
import { NUMBER_WORD_PATTERN, readCount } from './numbers.js';
import type { PartOfDay, UnderstoodDate } from './types.js';

/**
 * The date or range the visitor asks for, in the tenant's calendar.
 *
 * Our own grammar over a closed vocabulary (date-words.ts) rather than
 * chrono-node: measured on the six languages, chrono's non-English locales
 * missed "pasado mañana" (read as tomorrow), "del 20 al 22" (read as a time),
 * "hace dos días" (read as two days ahead), "a dicembre" sent in December
 * (read as next year's), German and Portuguese month names without accents,
 * and read "früh" as Friday. A date is only read from date structures (a day
 * with a month, a weekday, a relative day, a holiday), so ages, durations,
 * times and prices never become one; past references are dropped.
 */

const alt = (words: Iterable<string>) =>
  [...words]
    .sort((a, b) => b.length - a.length)
    .map((w) =>
      w
        .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
        .replace(/ /g, '\\s+')
        .replace(/-/g, '[\\s-]?'),
    )
    .join('|');

const MONTH_FULL = alt(Object.keys(MONTHS));
const MONTH_ANY = alt([...Object.keys(MONTHS), ...Object.keys(MONTH_ABBREVIATIONS)]);
const ORD = '(?:st|nd|rd|th|er|eme|e|o|º|ª|°|\\.)?';
const ARTICLE = "(?:the\\s+|el\\s+|le\\s+|il\\s+|l'|la\\s+|am\\s+|o\\s+|dia\\s+|den\\s+|del\\s+|de\\s+)?";
const JOIN =
  "(?:-|–|to|till|until|through|thru|al|a|hasta|au|jusqu'au|jusqu'a|bis(?:\\s+zum)?|ao|ate|fino\\s+al|e|and|y|et|und)";

const DAY_MONTH = new RegExp(
  `(?<![\\d.,/])(\\d{1,2})${ORD}\\s*(?:de\\s+|of\\s+|d')?(${MONTH_ANY})\\.?(?![a-z])(?:\\s*,?\\s*(?:de\\s+|del\\s+)?(20\\d{2}))?`,
  'g',
);
const MONTH_DAY = new RegExp(
  `(?<![a-z])(${MONTH_ANY})\\.?\\s+(?:the\\s+)?(\\d{1,2})(?:st|nd|rd|th)?(?![\\d:.,])(?:\\s*,?\\s*(20\\d{2}))?`,
  'g',
);
const RANGE_IN_MONTH = new RegExp(
  `(?<![\\d.,/])(\\d{1,2})${ORD}\\s*(?:de\\s+(?=\\d))?${JOIN}\\s*${ARTICLE}(\\d{1,2})${ORD}\\s*(?:de\\s+|of\\s+|d')?(${MONTH_ANY})\\.?(?![a-z])(?:\\s*(?:de\\s+)?(20\\d{2}))?`,
  'g',
);
const MONTH_RANGE = new RegExp(
  `(?<![a-z])(${MONTH_ANY})\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?\\s*(?:-|–|to|till|until|through)\\s*(\\d{1,2})(?:st|nd|rd|th)?(?![\\d:])`,
  'g',
);
const DAYS_ONLY_RANGE = new RegExp(
  `\\b(?:(?:from|between)\\s+(?:the\\s+)?(?=\\d{1,2}(?:st|nd|rd|th))|del|du|vom|dal|dall'|desde\\s+el|entre\\s+el|entre\\s+le|zwischen\\s+dem|tra\\s+il)\\s*(\\d{1,2})${ORD}\\s*${JOIN}\\s*${ARTICLE}(\\d{1,2})${ORD}(?!\\.\\d)(?!\\s*(?:[:h%€$£]|\\d|uhr|horas?|hours?|heures?|ore|am\\b|pm\\b|personas|people|personnes|personen|pessoas|persone|euros?|anos|ans|jahre|anni|years|years?|mil|k\\b))`,
  'g',
);
const NUMERIC = /(?<![\d.,/:$€£-])(\d{1,2})([./-])(\d{1,2})(?:\2(\d{4}|\d{2}))?(\.?)(?![\d/:%€$£-]|[.,]\d)/g;
const ISO = /\b(20\d{2})-(\d{2})-(\d{2})\b/g;
const DAY_ALONE =
  /(?:\b(?:on\s+)?the\s+(\d{1,2})(?:st|nd|rd|th)\b|\b(\d{1,2})(?:st|nd|rd|th)\b(?!\s+(?:floor|time|person|night|row|child|kid|visit|appointment|year|grade|stor))|\b(?:el|le|il|dia|am|del|du|dal|vom|dem)\s+(?:dia\s+)?(\d{1,2})(?:\.|er|º)?(?=\s*(?:$|[,;!?)]|\.(?!\d)|\s(?:y|et|und|e|and|or|o|ou|oder|oppure|para|pour|fur|per|por|a las|a la|a|à|um|as|alle|at|in|por la|de la|pela|nel|am|vormittag|nachmittag|morning|afternoon|evening)\b)))/g;
const WEEKDAY_RE = new RegExp(`(?<![a-z])(${alt(Object.keys(WEEKDAYS))})(?![a-z])`, 'g');
const WEEKDAY_PT =
  /\b(?:na|no|nesta|neste|esta|proxima|proximo|ate|a|desta|para|de|dia)\s+(segunda|terca|quarta|quinta|sexta)\b(?![\s-]*feira)/g;
const MONTH_ALONE = new RegExp(
  `\\b(?:in|en|au mois de|im|em|a|ad|di|in|para|for|durante|pour|fur|per|nel mese di|no mes de|el mes de|mes de|mois de|monat)\\s+(?:(?:early|late|mid|principios de|finales de|mediados de|debut|fin|anfang|ende|mitte|inicio de|fim de|inizio|fine)\\s+)?(${MONTH_FULL})(?![a-z])(?!\\s*\\d)(?:\\s*(?:de\\s+|del\\s+)?(20\\d{2}))?`,
  'g',
);
/** "from February", "ab März", "da febbraio": a start, with no end. */
const MONTH_FROM = new RegExp(
  `\\b(?:from|starting(?:\\s+in)?|beginning\\s+of|a\\s+partir\\s+de|desde|a\\s+partir\\s+d'|des|ab|ab\\s+dem|da|dal\\s+mese\\s+di|a\\s+partire\\s+da)\\s+(?:(?:el\\s+mes\\s+de|mois\\s+de)\\s+)?(${MONTH_FULL})(?![a-z])(?!\\s*\\d)(?:\\s*(?:de\\s+|del\\s+)?(20\\d{2}))?`,
  'g',
);
/** A weekday with its day number ("sábado 19", "Saturday the 19th", "Samstag, 19."): the number decides. */
const WEEKDAY_DAY = new RegExp(
  `(?<![a-z])(?:${alt(Object.keys(WEEKDAYS))})\\s*,?\\s*(?:the\\s+|den\\s+|dia\\s+)?(\\d{1,2})(?:st|nd|rd|th|er|º|\\.(?!\\d))?(?![\\d:h.,/]|\\s*(?:uhr|h\\b|am\\b|pm\\b|hours?|horas?|ore|heures?))`,
  'g',
);
/** German numeric range with one month: "28.–30.12.", "vom 12.-14.12.2027". */
const NUMERIC_DAY_RANGE = /(?<![\d.,/])(\d{1,2})\.?\s*-\s*(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})?(?![\d])/g;
const IN_N = new RegExp(
  `\\b(?:in|within|en|dentro de|dans|em|daqui a|tra|fra)\\s+(\\d{1,2}|${NUMBER_WORD_PATTERN})\\s+(days?|dias|jours|tagen|giorni|weeks?|semanas|semaines|wochen|settimane)\\b`,
  'g',
);
const NIGHTS = new RegExp(
  `\\b(\\d{1,2}|${NUMBER_WORD_PATTERN})\\s+(?:nights?|noches?|nuits?|nachte|ubernachtungen|noites?|notti)\\b`,
);
const SENTENCE_END = /[.!?;\n]/;

type Kind = 'explicit' | 'relative' | 'weekday' | 'month' | 'holiday' | 'dayOnly';
interface Hit {
  start: number;
  end: number;
  day: Day;
  endDay?: Day;
  kind: Kind;
  yearGiven?: boolean;
  partOfDay?: PartOfDay;
}

export interface DateOptions {
  now: Date;
  timeZone: string;
  /** Month-first numeric dates ("12/20") in the US. */
  monthFirst?: boolean;
  /**
   * `last` for a change of date ("move Thursday's appointment to next week"):
   * the last date named is the one wanted, and two dates are not a range.
   */
  pick?: 'first' | 'last';
}

/** A day-month without a year: this year, or next year once it has passed. */
function upcoming(today: Day, m: number, d: number): Day | undefined {
  const thisYear = { y: today.y, m, d };
  if (!isValidDay(thisYear) && !(m === 2 && d === 29)) return undefined;
  const day = isValidDay(thisYear) ? thisYear : { y: today.y + 1, m, d };
  return compareDays(day, today) < 0 ? { y: today.y + 1, m, d } : day;
}

function nextWeekday(today: Day, target: number): Day {
  const diff = (target - weekday(today) + 7) % 7 || 7;
  return addDays(today, diff);
}

function monthOf(token: string): number | undefined {
  const t = token.replace(/\.$/, '').replace(/\s+/g, ' ');
  return MONTHS[t] ?? MONTH_ABBREVIATIONS[t];
}

function phraseRe(words: string[]): RegExp {
  return new RegExp(`(?<![a-z])(?:${alt(words)})(?![a-z])`, 'g');
}
const RE_AFTER_TOMORROW = phraseRe(AFTER_TOMORROW);
const RE_TONIGHT = phraseRe(TONIGHT);
const RE_TODAY = phraseRe(TODAY);
const RE_TOMORROW = phraseRe(TOMORROW);
const RE_THIS_WEEKEND = phraseRe(THIS_WEEKEND);
const RE_NEXT_WEEKEND = phraseRe(NEXT_WEEKEND);
const RE_THIS_WEEK = phraseRe(THIS_WEEK);
const RE_NEXT_WEEK = phraseRe(NEXT_WEEK);
const RE_NEXT_MONTH = phraseRe(NEXT_MONTH);
const HOLIDAY_RES = HOLIDAYS.map((h) => ({ holiday: h, re: phraseRe(h.names) }));

function each(re: RegExp, f: string, fn: (m: RegExpExecArray) => void) {
  re.lastIndex = 0;
  for (let m = re.exec(f); m; m = re.exec(f)) fn(m);
}

function collect(f: string, today: Day, monthFirst: boolean): Hit[] {
  const hits: Hit[] = [];
  const push = (h: Hit) => hits.push(h);
  each(ISO, f, (m) => {
    const day = { y: Number(m[1]), m: Number(m[2]), d: Number(m[3]) };
    if (isValidDay(day)) push({ start: m.index, end: m.index + m[0].length, day, kind: 'explicit', yearGiven: true });
  });
  each(RANGE_IN_MONTH, f, (m) => {
    const month = monthOf(m[3] ?? '');
    const d1 = Number(m[1]);
    const d2 = Number(m[2]);
    if (!month) return;
    const year = m[4] ? Number(m[4]) : undefined;
    const endDay = year ? { y: year, m: month, d: d2 } : upcoming(today, month, d2);
    if (!endDay || !isValidDay(endDay)) return;
    // "30 al 2 de enero": the first day is in the month before.
    const startMonth = d1 > d2 ? (month === 1 ? 12 : month - 1) : month;
    const startYear = d1 > d2 && month === 1 ? endDay.y - 1 : endDay.y;
    const day = { y: startYear, m: startMonth, d: d1 };
    if (!isValidDay(day)) return;
    push({ start: m.index, end: m.index + m[0].length, day, endDay, kind: 'explicit', yearGiven: Boolean(year) });
  });
  each(MONTH_RANGE, f, (m) => {
    const month = monthOf(m[1] ?? '');
    if (!month) return;
    const day = upcoming(today, month, Number(m[2]));
    if (!day) return;
    const endDay = { y: day.y, m: month, d: Number(m[3]) };
    if (isValidDay(endDay) && compareDays(endDay, day) > 0)
      push({ start: m.index, end: m.index + m[0].length, day, endDay, kind: 'explicit' });
  });
  each(DAY_MONTH, f, (m) => {
    const month = monthOf(m[2] ?? '');
    if (!month) return;
    const year = m[3] ? Number(m[3]) : undefined;
    const day = year ? { y: year, m: month, d: Number(m[1]) } : upcoming(today, month, Number(m[1]));
    if (day && isValidDay(day))
      push({ start: m.index, end: m.index + m[0].length, day, kind: 'explicit', yearGiven: Boolean(year) });
  });
  each(MONTH_DAY, f, (m) => {
    const month = monthOf(m[1] ?? '');
    if (!month) return;
    const year = m[3] ? Number(m[3]) : undefined;
    const day = year ? { y: year, m: month, d: Number(m[2]) } : upcoming(today, month, Number(m[2]));
    if (day && isValidDay(day))
      push({ start: m.index, end: m.index + m[0].length, day, kind: 'explicit', yearGiven: Boolean(year) });
  });
  each(NUMERIC, f, (m) => {
    const a = Number(m[1]);
    const b = Number(m[3]);
    // "24/7" is a schedule; "1.5" a number; a dot needs a year or a closing dot ("20.12.").
    if (m[2] === '.' && !m[4] && !m[5]) return;
    // "3-4 personas", "2-3 nights": a dash needs a year to be a date.
    if (m[2] === '-' && !m[4]) return;
    if (m[0].startsWith('24/7')) return;
    const [d, mo] = monthFirst && m[2] === '/' ? [b, a] : [a, b];
    let y = m[4] ? Number(m[4]) : undefined;
    if (y !== undefined && y < 100) y += 2000;
    const day = y ? { y, m: mo, d } : upcoming(today, mo, d);
    if (day && isValidDay(day))
      push({ start: m.index, end: m.index + m[0].length, day, kind: 'explicit', yearGiven: Boolean(y) });
  });
  each(NUMERIC_DAY_RANGE, f, (m) => {
    const d1 = Number(m[1]);
    const d2 = Number(m[2]);
    const month = Number(m[3]);
    if (!(d2 > d1) || month < 1 || month > 12) return;
    let y = m[4] ? Number(m[4]) : undefined;
    if (y !== undefined && y < 100) y += 2000;
    const endDay = y ? { y, m: month, d: d2 } : upcoming(today, month, d2);
    if (!endDay || !isValidDay(endDay)) return;
    const day = { ...endDay, d: d1 };
    push({ start: m.index, end: m.index + m[0].length, day, endDay, kind: 'explicit', yearGiven: Boolean(y) });
  });
  each(WEEKDAY_DAY, f, (m) => {
    const d = Number(m[1]);
    if (!(d >= 1 && d <= 31)) return;
    let day: Day = { y: today.y, m: today.m, d };
    if (d < today.d || !isValidDay(day)) day = addMonth(today, d);
    if (isValidDay(day)) push({ start: m.index, end: m.index + m[0].length, day, kind: 'dayOnly' });
  });
  each(MONTH_FROM, f, (m) => {
    const month = monthOf(m[1] ?? '');
    if (!month) return;
    const year = m[2] ? Number(m[2]) : month < today.m ? today.y + 1 : today.y;
    const first = { y: year, m: month, d: 1 };
    if (compareDays(first, today) < 0) return;
    push({ start: m.index, end: m.index + m[0].length, day: first, kind: 'explicit', yearGiven: Boolean(m[2]) });
  });
  each(DAYS_ONLY_RANGE, f, (m) => {
    const d1 = Number(m[1]);
    const d2 = Number(m[2]);
    if (!(d1 >= 1 && d1 <= 31 && d2 > d1 && d2 <= 31)) return;
    // Days without a month: this month if still ahead, else the next.
    let day: Day = { y: today.y, m: today.m, d: d1 };
    if (d1 < today.d || !isValidDay(day)) day = addMonth(today, d1);
    const endDay = { ...day, d: d2 };
    if (isValidDay(endDay)) push({ start: m.index, end: m.index + m[0].length, day, endDay, kind: 'dayOnly' });
  });
  each(DAY_ALONE, f, (m) => {
    const d = Number(m[1] ?? m[2] ?? m[3]);
    if (!(d >= 1 && d <= 31)) return;
    let day: Day = { y: today.y, m: today.m, d };
    if (d < today.d || !isValidDay(day)) day = addMonth(today, d);
    if (isValidDay(day)) push({ start: m.index, end: m.index + m[0].length, day, kind: 'dayOnly' });
  });
  each(RE_AFTER_TOMORROW, f, (m) =>
    push({ start: m.index, end: m.index + m[0].length, day: addDays(today, 2), kind: 'relative' }),
  );
  each(RE_TONIGHT, f, (m) =>
    push({ start: m.index, end: m.index + m[0].length, day: today, kind: 'relative', partOfDay: 'evening' }),
  );
  each(RE_TODAY, f, (m) => push({ start: m.index, end: m.index + m[0].length, day: today, kind: 'relative' }));
  each(RE_TOMORROW, f, (m) => {
    const before = f.slice(Math.max(0, m.index - 7), m.index);
    // "por la mañana", "esta mañana" (morning), "guten Morgen", "am Morgen" are not tomorrow.
    if (m[0] === 'manana' && /(?:la|esta|por|cada|toda)\s+$/.test(before)) return;
    if (m[0] === 'morgen' && /(?:guten|am|jeden|heute|diesen)\s+$/.test(before)) return;
    push({ start: m.index, end: m.index + m[0].length, day: addDays(today, 1), kind: 'relative' });
  });
  const saturday = nextWeekday(addDays(today, -1), 6);
  each(RE_THIS_WEEKEND, f, (m) => {
    const start = weekday(today) === 0 ? today : saturday;
    push({
      start: m.index,
      end: m.index + m[0].length,
      day: start,
      endDay: weekday(today) === 0 ? undefined : addDays(saturday, 1),
      kind: 'relative',
    });
  });
  each(RE_NEXT_WEEKEND, f, (m) => {
    const sat = weekday(today) === 6 || weekday(today) === 0 ? nextWeekday(today, 6) : addDays(saturday, 7);
    push({ start: m.index, end: m.index + m[0].length, day: sat, endDay: addDays(sat, 1), kind: 'relative' });
  });
  each(RE_THIS_WEEK, f, (m) => {
    const sunday = nextWeekday(addDays(today, -1), 0);
    push({
      start: m.index,
      end: m.index + m[0].length,
      day: today,
      endDay: compareDays(sunday, today) > 0 ? sunday : undefined,
      kind: 'relative',
    });
  });
  each(RE_NEXT_WEEK, f, (m) => {
    const monday = nextWeekday(today, 1);
    push({ start: m.index, end: m.index + m[0].length, day: monday, endDay: addDays(monday, 6), kind: 'relative' });
  });
  each(RE_NEXT_MONTH, f, (m) => {
    const first = addMonth(today, 1);
    push({
      start: m.index,
      end: m.index + m[0].length,
      day: first,
      endDay: { ...first, d: daysInMonth(first.y, first.m) },
      kind: 'relative',
    });
  });
  each(IN_N, f, (m) => {
    const n = readCount(m[1]);
    if (!n || n > 60) return;
    const weeks = /^(?:weeks?|semanas|semaines|wochen|settimane)$/.test(m[2] ?? '');
    push({ start: m.index, end: m.index + m[0].length, day: addDays(today, weeks ? n * 7 : n), kind: 'relative' });
  });
  const weekdayHit = (m: RegExpExecArray, target: number) =>
    push({ start: m.index, end: m.index + m[0].length, day: nextWeekday(today, target), kind: 'weekday' });
  each(WEEKDAY_RE, f, (m) =>
    weekdayHit(
      m,
      WEEKDAYS[(m[1] ?? '').replace(/\s+/g, ' ').replace(/[\s-]?feira$/, '-feira')] ?? WEEKDAYS[m[1] ?? ''] ?? -1,
    ),
  );
  each(WEEKDAY_PT, f, (m) => weekdayHit(m, WEEKDAY_PT_SHORT[m[1] ?? ''] ?? -1));
  for (const { holiday, re } of HOLIDAY_RES) {
    each(re, f, (m) => {
      const date = holiday.date;
      let day: Day;
      if ('easter' in date) {
        day = addDays(easter(today.y), date.easter);
        if (compareDays(day, today) < 0) day = addDays(easter(today.y + 1), date.easter);
      } else {
        day = upcoming(today, date.m, date.d) as Day;
      }
      push({ start: m.index, end: m.index + m[0].length, day, kind: 'holiday' });
    });
  }
  each(MONTH_ALONE, f, (m) => {
    const month = monthOf(m[1] ?? '');
    if (!month) return;
    const year = m[2] ? Number(m[2]) : month < today.m ? today.y + 1 : today.y;
    const first = { y: year, m: month, d: 1 };
    const day = compareDays(first, today) < 0 ? today : first;
    const idx = m.index + m[0].indexOf(m[1] ?? '');
    push({
      start: idx,
      end: m.index + m[0].length,
      day,
      endDay: { y: year, m: month, d: daysInMonth(year, month) },
      kind: 'month',
      yearGiven: Boolean(m[2]),
    });
  });
  return hits.filter((h) => h.day && isValidDay(h.day) && !(h.kind === 'weekday' && Number.isNaN(h.day.d)));
}

function addMonth(today: Day, d: number): Day {
  const m = today.m === 12 ? 1 : today.m + 1;
  const y = today.m === 12 ? today.y + 1 : today.y;
  return { y, m, d: Math.min(d, daysInMonth(y, m)) };
}

/** Overlapping hits: the longest reading wins ("20 al 22 de diciembre" over "22 de diciembre"). */
function dedupe(hits: Hit[]): Hit[] {
  const sorted = [...hits].sort((a, b) => b.end - b.start - (a.end - a.start) || a.start - b.start);
  const kept: Hit[] = [];
  for (const h of sorted) {
    if (kept.some((k) => h.start < k.end && k.start < h.end)) continue;
    kept.push(h);
  }
  return kept.sort((a, b) => a.start - b.start);
}

/** "Are you open on Saturdays?", "abren los sábados": a weekly schedule, not a requested day. */
function isHabitual(h: Hit, f: string): boolean {
  if (HABITUAL_BEFORE.test(f.slice(Math.max(0, h.start - 14), h.start))) return true;
  const sentenceStart = Math.max(0, h.start - 60);
  return (
    OPENING.test(f.slice(sentenceStart, h.end + 30)) &&
    /(?:^|\s)(?:le|il|am|o|el)\s+$/.test(f.slice(sentenceStart, h.start))
  );
}

function isPast(h: Hit, f: string, today: Day): boolean {
  if (compareDays(h.endDay ?? h.day, today) < 0) return true;
  const before = f.slice(Math.max(0, h.start - 24), h.start);
  if (PAST_BEFORE.test(before) || PAST_AFTER.test(f.slice(h.end, h.end + 10))) return true;
  if (h.kind === 'relative') return false;
  // The sentence so far, cut at the last sentence end, within a few words of the date.
  const windowStart = Math.max(0, h.start - 60);
  let sentence = f.slice(windowStart, h.start);
  const cut = [...sentence].reverse().findIndex((c) => SENTENCE_END.test(c));
  if (cut >= 0) sentence = sentence.slice(sentence.length - cut);
  if (PAST_CONTEXT.test(sentence)) return true;
  // German puts the participle last: "Wir haben im Oktober bei Ihnen übernachtet".
  const after = f.slice(h.end, h.end + 60).split(SENTENCE_END)[0] ?? '';
  return /\bhaben\b|\bhatten\b|\bsind\b|\bwaren\b/.test(sentence + after) && PAST_PARTICIPLE_DE.test(after);
}
/**
 * "before Christmas", "antes de navidad", "our anniversary on the 9th": a deadline or an
 * occasion, not when the service is wanted.
 */
function isDeadlineOrOccasion(h: Hit, f: string): boolean {
  const before = f.slice(Math.max(0, h.start - 40), h.start);
  if (DEADLINE_BEFORE.test(before)) return true;
  const clause = before.split(/[.!?;,\n]/).at(-1) ?? '';
  return OCCASION.test(clause);
}
const DEADLINE_BEFORE =
  /(?:\bbefore|\bantes\s+(?:de|del|da|do|das|dos)|\bavant|\bvor|\bprima\s+(?:di|del|della|dello|delle|dei)|\bentro)(?:\s+(?:the|el|la|le|les|los|las|der|dem|den|o|a|os|as|il|l'|our|nuestro|nuestra|notre|unserem|unserer|nosso|nossa|il nostro|la nostra))?\s*$/;
const OCCASION =
  /\b(?:anniversary|birthday|aniversario|cumpleanos|anniversaire|jahrestag|hochzeitstag|geburtstag|aniversario|anniversario|compleanno)\b/;
const MONTH_AND_MONTH = new RegExp(
  `^\\s*(?:-|to|till|until|through|and|y|e|et|und|bis|a|al|hasta|au|ate|ao)\\s+(?:(?:el|le|il|o|la)\\s+)?(${MONTH_FULL})(?![a-z])(?!\\s*\\d)`,
);
const DAY_OR_DAY =
  /^\s*(?:or|o|ou|oder|oppure)\s+(?:(?:the|el|le|il|o|dia|den|am)\s+)?(\d{1,2})(?:st|nd|rd|th|er|º|\.)?(?![\d:.,h%/])(?!\s*(?:uhr|am\b|pm\b|hours?|horas?|ore|heures?|personas|people|pessoas|persone|personnes|personen))/;
const WEEK_OF = /(?:\bweek\s+of|\bsemana\s+del?|\bsemaine\s+du|\bwoche\s+(?:vom|ab)|\bsettimana\s+del)\s*(?:the\s+)?$/;
const PAST_PARTICIPLE_DE = /\b(?:ubernachtet|gewesen|verbracht|besucht|geblieben|gekommen|gewohnt)\b/;

const RANGE_GAP =
  /^\s*,?\s*(?:-|–|to|till|until|through|thru|al|a|hasta|au|jusqu'au|jusqu'a|bis(?:\s+zum)?|ao|ate|fino al|fino a|e|and|y|et|und|or|o|ou|oder|oppure)\s*(?:the|el|le|il|la|am|o|a|dia|den|al)?\s*$/;
const DEPARTURE_GAP =
  /(?:check-?out|leaving|leave|departure|salida|salimos|saliendo|depart|partir|partons|abreise|abfahrt|reisen ab|saida|saimos|partenza|partiamo|until|hasta|jusqu'au|bis|ate|fino al)/;

/** Greetings and wishes that name a part of the day or a holiday without asking for it. */
const GREETINGS =
  /\b(?:good (?:morning|afternoon|evening|night)|buenos dias|buenas (?:tardes|noches)|bonsoir|bonne (?:soiree|nuit)|guten (?:morgen|abend)|bom dia|boa (?:tarde|noite)|buongiorno|buonasera|buona (?:sera|notte)|happy new year|merry christmas|happy holidays|happy easter|feliz (?:navidad|ano nuevo|ano|natal|pascua|pascoa|ano novo)|felices fiestas|joyeux noel|joyeuses fetes|bonne annee|frohe (?:weihnachten|ostern|feiertage)|frohes (?:neues|fest)|gutes neues|buon (?:natale|anno)|buona pasqua|boas festas)\b/g;

const TIME =
  /(?<![\d.,:])(?:(?:at|a las|a la|as|a|um|alle|ore|vers|hacia|sobre las|gegen|verso le|por volta das)\s+)?(\d{1,2})(?:[:h](\d{2}))?\s*(am|pm|a\.m\.|p\.m\.|h|uhr)?(?![\d.,:])/g;

function findTime(window: string): string | undefined {
  TIME.lastIndex = 0;
  for (let m = TIME.exec(window); m; m = TIME.exec(window)) {
    const explicit = Boolean(
      m[2] || m[3] || /^(?:at|a las|a la|as|um|alle|ore|vers|hacia|sobre las|gegen)\s/.test(m[0]),
    );
    if (!explicit) continue;
    let h = Number(m[1]);
    const min = Number(m[2] ?? 0);
    const suffix = m[3]?.replace(/\./g, '');
    if (suffix === 'pm' && h < 12) h += 12;
    if (suffix === 'am' && h === 12) h = 0;
    if (h > 23 || min > 59) continue;
    // A bare "at 5" after a date is a time only with a clock word or minutes, or within office hours.
    if (!m[2] && !suffix && (h < 7 || h > 21)) continue;
    return `${String(h).padStart(2, '0')}:${String(min).padStart(2, '0')}`;
  }
  return undefined;
}

const HABITUAL_BEFORE =
  /(?:\b(?:los|les|every|cada|todos los|tous les|jeden|todas as|todos os|ogni|on|ao|aos|nos|als)\s+)$/;
const OPENING =
  /\b(?:open|opening|hours|abiert|abren|horario|ouvert|ouvrez|horaire|geoffnet|offen|offnungszeit|abert|abrem|aperto|aperti|aprite|orari)/;

export function extractDate(text: string, options: DateOptions): UnderstoodDate | undefined {
  const today = localDay(options.now, options.timeZone);
  // Addresses say nothing of dates ("marco_rossi@…" is not March).
  const folded = text.replace(GREETINGS, (m) => ' '.repeat(m.length)).replace(/\S+@\S+/g, (m) => ' '.repeat(m.length));
  const hits = dedupe(collect(folded, today, options.monthFirst ?? false)).filter(
    (h) =>
      !isPast(h, folded, today) && !(h.kind === 'weekday' && isHabitual(h, folded)) && !isDeadlineOrOccasion(h, folded),
  );
  let index = options.pick === 'last' ? hits.length - 1 : 0;
  // "en las vacaciones de Navidad, el 28 o el 29": the days named after a holiday are the ones wanted.
  const after = hits[index + 1];
  if (
    hits[index]?.kind === 'holiday' &&
    after &&
    (after.kind === 'explicit' || after.kind === 'dayOnly') &&
    !SENTENCE_END.test(folded.slice(hits[index]!.end, after.start))
  )
    index += 1;
  const first = hits[index];
  if (!first) return undefined;
  let end = first.endDay;
  let textEnd = first.end;
  const next = hits[index + 1];
  const gapToNext = next ? folded.slice(first.end, next.start) : '';
  if (first.kind === 'month') {
    // "enero y febrero", "March to May": the whole span.
    const more = MONTH_AND_MONTH.exec(folded.slice(first.end));
    const month = more ? monthOf(more[1] ?? '') : undefined;
    if (more && month && first.endDay) {
      const y = month < first.endDay.m ? first.endDay.y + 1 : first.endDay.y;
      end = { y, m: month, d: daysInMonth(y, month) };
      textEnd = first.end + more[0].length;
    }
  }
  if (!end && next && (next.kind !== 'relative' || first.kind === 'relative')) {
    const gap = gapToNext;
    if ((RANGE_GAP.test(gap) || (gap.length <= 40 && DEPARTURE_GAP.test(gap))) && !SENTENCE_END.test(gap)) {
      let endDay = next.endDay && next.kind !== 'month' ? next.endDay : next.day;
      // "Dec 30 to Jan 2": the end is in the next year.
      if (compareDays(endDay, first.day) < 0 && !next.yearGiven) endDay = { ...endDay, y: endDay.y + 1 };
      if (compareDays(endDay, first.day) > 0) {
        end = endDay;
        textEnd = next.end;
      }
    }
  }
  if (!end && (first.kind === 'dayOnly' || first.kind === 'explicit')) {
    // "el 28 o el 29", "dia 28 ou 29": either day, so the span of both.
    const other = DAY_OR_DAY.exec(folded.slice(first.end));
    const d = other ? Number(other[1]) : 0;
    if (other && d > first.day.d && d <= daysInMonth(first.day.y, first.day.m)) {
      end = { ...first.day, d };
      textEnd = first.end + other[0].length;
    }
  }
  // "the week of December 28", "la semana del 14": seven days from that day.
  if (!end && WEEK_OF.test(folded.slice(Math.max(0, first.start - 16), first.start))) end = addDays(first.day, 6);
  if (!end) {
    const nights = NIGHTS.exec(folded);
    const n = nights ? readCount(nights[1]) : undefined;
    if (n && n <= 60 && first.kind !== 'month') end = addDays(first.day, n);
  }
  const windowStart = Math.max(0, first.start - 30);
  const window = folded.slice(windowStart, textEnd + 40).replace(GREETINGS, ' ');
  let partOfDay = first.partOfDay;
  if (!partOfDay) {
    for (const [re, part] of PART_OF_DAY) {
      if (re.test(window)) {
        partOfDay = part;
        break;
      }
    }
  }
  const time = findTime(folded.slice(textEnd, textEnd + 30)) ?? findTime(folded.slice(windowStart, first.start));
  return {
    start: isoDay(first.day),
    end: end && compareDays(end, first.day) > 0 ? isoDay(end) : undefined,
    partOfDay,
    time,
    text: folded.slice(first.start, textEnd),
  };
}

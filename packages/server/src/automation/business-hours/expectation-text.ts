import type { ContentLanguage, HoursFlow, HoursMode } from '@leaddesk/shared';
import { addDays, localParts } from './zoned-time.js';

/**
 * "We're closed right now; someone will call you tomorrow at 09:00", in the
 * visitor's language. The day and time are the tenant's local ones (the
 * opening is computed in its zone, so a daylight-saving change between now
 * and then does not move the 09:00).
 */
interface Phrases {
  closed: Record<Exclude<HoursMode, 'in_hours'>, string>;
  promise: string;
  today: string;
  tomorrow: string;
  /** "on Monday", from the weekday's name. */
  onWeekday(name: string): string;
}

const PHRASES: Record<ContentLanguage, Phrases> = {
  en: {
    closed: {
      after_hours: "We're closed right now.",
      weekend: "We're closed for the weekend.",
      holiday: "We're closed today.",
    },
    promise: 'Someone from our team will call you {day} at {time}.',
    today: 'today',
    tomorrow: 'tomorrow',
    onWeekday: (n) => `on ${n}`,
  },
  es: {
    closed: {
      after_hours: 'Ahora mismo estamos cerrados.',
      weekend: 'Estamos cerrados el fin de semana.',
      holiday: 'Hoy estamos cerrados.',
    },
    promise: 'Alguien de nuestro equipo le llamará {day} a las {time}.',
    today: 'hoy',
    tomorrow: 'mañana',
    onWeekday: (n) => `el ${n}`,
  },
  fr: {
    closed: {
      after_hours: 'Nous sommes fermés en ce moment.',
      weekend: 'Nous sommes fermés le week-end.',
      holiday: "Nous sommes fermés aujourd'hui.",
    },
    promise: "Quelqu'un de notre équipe vous appellera {day} à {time}.",
    today: "aujourd'hui",
    tomorrow: 'demain',
    onWeekday: (n) => n,
  },
  de: {
    closed: {
      after_hours: 'Wir haben gerade geschlossen.',
      weekend: 'Wir haben am Wochenende geschlossen.',
      holiday: 'Wir haben heute geschlossen.',
    },
    promise: 'Jemand aus unserem Team ruft Sie {day} um {time} Uhr an.',
    today: 'heute',
    tomorrow: 'morgen',
    onWeekday: (n) => `am ${n}`,
  },
  pt: {
    closed: {
      after_hours: 'Neste momento estamos fechados.',
      weekend: 'Estamos fechados ao fim de semana.',
      holiday: 'Hoje estamos fechados.',
    },
    promise: 'Alguém da nossa equipa vai ligar-lhe {day} às {time}.',
    today: 'hoje',
    tomorrow: 'amanhã',
    onWeekday: (n) => (/^(sábado|domingo)/.test(n) ? `no ${n}` : `na ${n}`),
  },
  it: {
    closed: {
      after_hours: 'In questo momento siamo chiusi.',
      weekend: 'Siamo chiusi nel fine settimana.',
      holiday: 'Oggi siamo chiusi.',
    },
    promise: 'Qualcuno del nostro team la chiamerà {day} alle {time}.',
    today: 'oggi',
    tomorrow: 'domani',
    onWeekday: (n) => n,
  },
};

export function languageOf(code: string | null | undefined): ContentLanguage {
  const short = (code ?? 'en').slice(0, 2).toLowerCase();
  return short in PHRASES ? (short as ContentLanguage) : 'en';
}

/** `{day}` relative to now in the tenant's zone: today, tomorrow, on Monday, on Monday 6 April. */
export function dayPhrase(language: ContentLanguage, timeZone: string, now: Date, at: Date): string {
  const p = PHRASES[language];
  const today = localParts(timeZone, now).date;
  const target = localParts(timeZone, at).date;
  if (target === today) return p.today;
  if (target === addDays(today, 1)) return p.tomorrow;
  const withinWeek = target <= addDays(today, 6);
  const name = new Intl.DateTimeFormat(language, {
    timeZone,
    weekday: 'long',
    ...(withinWeek ? {} : { day: 'numeric', month: 'long' }),
  }).format(at);
  return p.onWeekday(name);
}

export function expectationText(input: {
  language: string | null | undefined;
  mode: Exclude<HoursMode, 'in_hours'>;
  timeZone: string;
  now: Date;
  opensAt: Date;
  flow: HoursFlow;
}): string {
  const language = languageOf(input.language);
  const p = PHRASES[language];
  const day = dayPhrase(language, input.timeZone, input.now, input.opensAt);
  const time = localParts(input.timeZone, input.opensAt).time;
  const custom = input.flow.message[language];
  const text = custom ?? `${p.closed[input.mode]} ${p.promise}`;
  return text.replaceAll('{day}', day).replaceAll('{time}', time);
}

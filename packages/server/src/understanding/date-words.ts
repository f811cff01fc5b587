/**
 * The closed vocabulary of dates in the six languages, folded (lower case, no
 * accents): month and weekday names, relative days, parts of the day,
 * holidays, and the words that make a date a past one.
 */

function table(groups: string[][], base = 1): Record<string, number> {
  const out: Record<string, number> = {};
  groups.forEach((names, i) => {
    for (const n of names) out[n] = i + base;
  });
  return out;
}

/** Full month names (safe alone: "in March", "en marzo"). */
export const MONTHS = table([
  ['january', 'enero', 'janvier', 'januar', 'janeiro', 'gennaio', 'jaenner', 'janner'],
  ['february', 'febrero', 'fevrier', 'februar', 'fevereiro', 'febbraio'],
  ['march', 'marzo', 'mars', 'marz', 'maerz', 'marco'],
  ['april', 'abril', 'avril', 'aprile'],
  ['may', 'mayo', 'mai', 'maio', 'maggio'],
  ['june', 'junio', 'juin', 'juni', 'junho', 'giugno'],
  ['july', 'julio', 'juillet', 'juli', 'julho', 'luglio'],
  ['august', 'agosto', 'aout'],
  ['september', 'septiembre', 'setiembre', 'septembre', 'setembro', 'settembre'],
  ['october', 'octubre', 'octobre', 'oktober', 'outubro', 'ottobre'],
  ['november', 'noviembre', 'novembre', 'novembro'],
  ['december', 'diciembre', 'decembre', 'dezember', 'dezembro', 'dicembre'],
]);

/** Abbreviations, only next to a day number ("Dec 30", "20 dic."): alone they are words ("mar", "ago", "set"). */
export const MONTH_ABBREVIATIONS = table([
  ['jan', 'ene', 'janv', 'gen'],
  ['feb', 'fev', 'fevr', 'febr'],
  ['mar', 'mrz'],
  ['apr', 'abr', 'avr'],
  [],
  ['jun', 'juin', 'giu'],
  ['jul', 'juil', 'lug'],
  ['aug', 'ago', 'aou'],
  ['sep', 'sept', 'set'],
  ['oct', 'okt', 'out', 'ott'],
  ['nov'],
  ['dec', 'dic', 'dez'],
]);

/** 0 = Sunday. Portuguese short forms ("sexta") need "-feira" or a preposition; see WEEKDAY_PT_SHORT. */
export const WEEKDAYS = table(
  [
    ['sunday', 'domingo', 'dimanche', 'sonntag', 'domenica'],
    ['monday', 'lunes', 'lundi', 'montag', 'segunda-feira', 'segunda feira', 'lunedi'],
    ['tuesday', 'martes', 'mardi', 'dienstag', 'terca-feira', 'terca feira', 'martedi'],
    ['wednesday', 'miercoles', 'mercredi', 'mittwoch', 'quarta-feira', 'quarta feira', 'mercoledi'],
    ['thursday', 'jueves', 'jeudi', 'donnerstag', 'quinta-feira', 'quinta feira', 'giovedi'],
    ['friday', 'viernes', 'vendredi', 'freitag', 'sexta-feira', 'sexta feira', 'venerdi'],
    ['saturday', 'sabado', 'samedi', 'samstag', 'sonnabend', 'sabato'],
  ],
  0,
);
export const WEEKDAY_PT_SHORT: Record<string, number> = { segunda: 1, terca: 2, quarta: 3, quinta: 4, sexta: 5 };

export const TODAY = ['today', 'hoy', "aujourd'hui", 'aujourdhui', 'heute', 'hoje', 'oggi'];
/** "mañana" is also "morning": "por la mañana", "de la mañana", "esta mañana" are not tomorrow. */
export const TOMORROW = ['tomorrow', 'manana', 'demain', 'morgen', 'amanha', 'domani'];
export const AFTER_TOMORROW = [
  'day after tomorrow',
  'pasado manana',
  'apres-demain',
  'apres demain',
  'ubermorgen',
  'depois de amanha',
  'dopodomani',
];
export const TONIGHT = [
  'tonight',
  'esta noche',
  'ce soir',
  'heute abend',
  'heute nacht',
  'esta noite',
  'hoje a noite',
  'stasera',
  'stanotte',
];
export const THIS_WEEKEND = [
  'this weekend',
  'this coming weekend',
  'este fin de semana',
  'este finde',
  'ce week-end',
  'ce weekend',
  'dieses wochenende',
  'am wochenende',
  'este fim de semana',
  'neste fim de semana',
  'questo weekend',
  'questo fine settimana',
  'il weekend',
  'the weekend',
];
export const NEXT_WEEKEND = [
  'next weekend',
  'el fin de semana que viene',
  'el proximo fin de semana',
  'le week-end prochain',
  'le weekend prochain',
  'nachstes wochenende',
  'am nachsten wochenende',
  'no proximo fim de semana',
  'o proximo fim de semana',
  'il prossimo weekend',
  'il weekend prossimo',
  'il prossimo fine settimana',
];
export const THIS_WEEK = [
  'this week',
  'esta semana',
  'cette semaine',
  'diese woche',
  'dieser woche',
  'desta semana',
  'questa settimana',
];
export const NEXT_WEEK = [
  'next week',
  'la semana que viene',
  'la proxima semana',
  'la semana proxima',
  'la semaine prochaine',
  'nachste woche',
  'nachsten woche',
  'kommende woche',
  'kommenden woche',
  'na proxima semana',
  'a proxima semana',
  'semana que vem',
  'para a semana',
  'la prossima settimana',
  'la settimana prossima',
  'settimana prossima',
  'prossima settimana',
];
export const NEXT_MONTH = [
  'next month',
  'el mes que viene',
  'el proximo mes',
  'le mois prochain',
  'nachsten monat',
  'nachster monat',
  'kommenden monat',
  'no proximo mes',
  'o mes que vem',
  'mes que vem',
  'il mese prossimo',
  'il prossimo mese',
];

/** Words that point a weekday at the coming week: we read them all as the next such day. */
export const NEXT_WORDS = [
  'next',
  'this',
  'this coming',
  'coming',
  'proximo',
  'proxima',
  'este',
  'esta',
  'prochain',
  'prochaine',
  'ce',
  'nachsten',
  'nachster',
  'nachste',
  'kommenden',
  'diesen',
  'dieser',
  'proximo',
  'proxima',
  'nesta',
  'neste',
  'prossimo',
  'prossima',
  'questo',
  'questa',
];

export const PART_OF_DAY: Array<[RegExp, 'morning' | 'afternoon' | 'evening' | 'night']> = [
  [
    /\b(?:morning|por la manana|de la manana|a la manana|en la manana|matin|matinee|vormittags?|morgens|morgen fruh|am morgen|de manha|pela manha|na parte da manha|mattina|mattino|in mattinata)\b/,
    'morning',
  ],
  [
    /\b(?:afternoon|por la tarde|de la tarde|a la tarde|en la tarde|apres-midi|apres midi|nachmittags?|a tarde|de tarde|pela tarde|na parte da tarde|pomeriggio|nel pomeriggio)\b/,
    'afternoon',
  ],
  [
    /\b(?:evening|tonight|soir|soiree|abends?|di sera|la sera|in serata|stasera|a noite|de noite|esta noite)\b/,
    'evening',
  ],
  [
    /\b(?:at night|late night|por la noche|de noche|esta noche|la nuit|de nuit|nachts|in der nacht|di notte|stanotte)\b/,
    'night',
  ],
];

export interface Holiday {
  names: string[];
  /** Month and day, or an offset from Easter Sunday. */
  date: { m: number; d: number } | { easter: number };
}
export const HOLIDAYS: Holiday[] = [
  {
    names: [
      'christmas eve',
      'nochebuena',
      'noche buena',
      'veille de noel',
      'reveillon de noel',
      'heiligabend',
      'heiliger abend',
      'heiligen abend',
      'vespera de natal',
      'consoada',
      'vigilia di natale',
    ],
    date: { m: 12, d: 24 },
  },
  {
    names: ['christmas', 'xmas', 'navidad', 'navidades', 'noel', 'weihnachten', 'weihnachtstag', 'natal', 'natale'],
    date: { m: 12, d: 25 },
  },
  {
    names: ['boxing day', 'st stephen', 'san esteban', 'saint-etienne', 'stephanstag', 'santo stefano'],
    date: { m: 12, d: 26 },
  },
  {
    names: [
      "new year's eve",
      'new years eve',
      'nye',
      'nochevieja',
      'noche vieja',
      'fin de ano',
      'saint-sylvestre',
      'saint sylvestre',
      'reveillon du nouvel an',
      'nouvel an',
      'silvester',
      'passagem de ano',
      'passagem do ano',
      'reveillon',
      'capodanno',
      'notte di capodanno',
      "new year's",
      'new year',
      'new years',
    ],
    date: { m: 12, d: 31 },
  },
  {
    names: [
      "new year's day",
      'ano nuevo',
      "jour de l'an",
      'neujahr',
      'neujahrstag',
      'dia de ano novo',
      'ano novo',
      'primo gennaio',
    ],
    date: { m: 1, d: 1 },
  },
  {
    names: [
      'easter',
      'easter sunday',
      'domingo de pascua',
      'domingo de resurreccion',
      'paques',
      'ostern',
      'ostersonntag',
      'pascoa',
      'domingo de pascoa',
      'pasqua',
    ],
    date: { easter: 0 },
  },
  {
    names: ['good friday', 'viernes santo', 'vendredi saint', 'karfreitag', 'sexta-feira santa', 'venerdi santo'],
    date: { easter: -2 },
  },
  {
    names: ['easter monday', 'lunes de pascua', 'lundi de paques', 'ostermontag', 'pasquetta', "lunedi dell'angelo"],
    date: { easter: 1 },
  },
  { names: ['holy week', 'semana santa', 'semaine sainte', 'karwoche', 'settimana santa'], date: { easter: -7 } },
  {
    names: [
      "valentine's day",
      'valentines day',
      'san valentin',
      'saint-valentin',
      'saint valentin',
      'valentinstag',
      'dia dos namorados',
      'san valentino',
    ],
    date: { m: 2, d: 14 },
  },
  { names: ['halloween'], date: { m: 10, d: 31 } },
];

/** A date in a sentence with one of these is something that happened, not a request. */
export const PAST_CONTEXT =
  /\b(?:ago|last time|previous(?:ly)?|stayed|visited|we came|i came|we went|i went|spent|were here|was here|were there|was there|were with you|was with you|desde hace|hace (?:un|una|dos|tres|unos|unas|\d+)|estuvimos|estuve|estuvo|fuimos|vinimos|vine|nos alojamos|me aloje|pasamos|me hice|me hicieron|visitamos|la ultima vez|il y a (?:un|une|deux|trois|quelques|\d+) (?:jours?|semaines?|mois|ans?)|etions|ai sejourne|avons sejourne|sommes venus|suis venue?|sommes restes|avons passe|ai passe|la derniere fois|vor (?:einer|einem|zwei|drei|\d+) (?:tag|tagen|woche|wochen|monat|monaten|jahr|jahren)|gewesen|ubernachtet|verbracht|letztes mal|ha (?:um|uma|dois|duas|tres) (?:dias?|semanas?|mes|meses|anos?)|faz (?:um|uma|dois|duas|\d+) (?:dias?|semanas?|mes|meses|anos?)|estive|estivemos|esteve|viemos|passamos|passei|a ultima vez|siamo stati|sono stato|sono stata|eravamo|abbiamo soggiornato|ho soggiornato|abbiamo alloggiato|siamo venuti|sono venut[oa]|abbiamo passato|l'ultima volta|(?:giorn[oi]|settiman[ae]|mes[ei]|ann[oi]) fa)\b/;

/** Right before a date: "since Monday", "last Friday", "desde ayer", "seit gestern". */
export const PAST_BEFORE =
  /\b(?:since|last|past|desde hace|depuis|seit|letzte[nrs]?|vergangene[nrs]?|scorso|scorsa|passado|passada|pasado|pasada|dernier|derniere)\s+(?:the\s+|el\s+|la\s+|le\s+|am\s+|o\s+|a\s+|il\s+)?$/;
/** Right after: "Friday last", "el martes pasado", "mardi dernier", "venerdì scorso", "two days ago". */
export const PAST_AFTER = /^\s*(?:ago|pasad[oa]|passad[oa]|derni(?:er|ere)|scors[oa]|fa\b|atras)/;
export const YESTERDAY =
  /\b(?:yesterday|ayer|anoche|anteayer|antier|hier soir|avant-hier|gestern|vorgestern|ontem|anteontem|ieri|l'altro ieri|the other day|el otro dia|l'autre jour|neulich|outro dia|l'altro giorno)\b/;

/**
 * Opt-out words in the six content languages (and the carrier keywords SMS
 * users type everywhere). A message is an opt-out when, normalised (lower
 * case, accents and punctuation removed, spaces collapsed), it IS one of these
 * phrases ("STOP", "Arrêt !", "darme de baja"), or starts with a strong
 * keyword in at most three words ("stop please", "STOPP bitte"). A keyword
 * inside a longer sentence ("don't stop the treatment") is not an opt-out.
 */

/** Whole-message phrases, already normalised. */
const PHRASES: readonly string[] = [
  // Carrier keywords (CTIA / Twilio) and English
  'stop',
  'stopall',
  'stop all',
  'unsubscribe',
  'cancel',
  'end',
  'quit',
  'opt out',
  'optout',
  'revoke',
  'stop messages',
  'no more messages',
  // Spanish
  'baja',
  'darme de baja',
  'dar de baja',
  'cancelar suscripcion',
  'no mas mensajes',
  'no me escriban mas',
  'alto',
  // French
  'arret',
  'arreter',
  'arretez',
  'desabonner',
  'me desabonner',
  'desinscrire',
  'plus de messages',
  // German
  'stopp',
  'abmelden',
  'abbestellen',
  'keine nachrichten mehr',
  'austragen',
  // Portuguese
  'parar',
  'sair',
  'cancelar',
  'descadastrar',
  'nao quero mais mensagens',
  // Italian
  'annulla',
  'basta',
  'disiscrivi',
  'disiscrivimi',
  'cancellami',
  'non scrivetemi piu',
];

/** Keywords strong enough to count at the start of a short message. */
const LEADING = new Set([
  'stop',
  'stopp',
  'unsubscribe',
  'baja',
  'arret',
  'arreter',
  'abmelden',
  'desabonner',
  'disiscrivi',
]);

const phrases = new Set(PHRASES);

export function normaliseForOptOut(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .replace(/\s+/g, ' ');
}

/** The opt-out phrase the message is, or null. */
export function optOutWord(text: string): string | null {
  if (text.length > 200) return null;
  const normal = normaliseForOptOut(text);
  if (!normal) return null;
  if (phrases.has(normal)) return normal;
  const words = normal.split(' ');
  if (words.length <= 3 && LEADING.has(words[0] as string)) return words[0] as string;
  return null;
}

export const OPT_OUT_PHRASES = PHRASES;

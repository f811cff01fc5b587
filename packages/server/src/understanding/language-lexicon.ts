import type { SupportedLanguage } from './language.js';

/**
 * Words that name their language on their own, for messages too short for
 * n-gram detection: greetings, thanks and season's wishes ("Hola", "Bom dia",
 * "Grüß Gott", "Feliz Natal"). Folded (lower case, no accents, ß as ss).
 * A phrase listed in two languages ("buon", "feliz") is left out of both, so
 * only whole phrases decide.
 */
export const GREETING_PHRASES: Record<SupportedLanguage, readonly string[]> = {
  en: [
    'hi', 'hello', 'hey', 'hiya', 'good morning', 'good afternoon', 'good evening', 'good night', 'thanks',
    'thank you', 'thank you very much', 'thanks a lot', 'merry christmas', 'happy new year', 'happy holidays',
    'bye', 'goodbye', 'cheers', 'yes please', 'no thanks', 'please', 'anyone there', 'hi there', 'hello there',
  ],
  es: [
    'hola', 'buenas', 'buenos dias', 'buen dia', 'buenas tardes', 'buenas noches', 'gracias', 'muchas gracias',
    'feliz navidad', 'feliz ano nuevo', 'felices fiestas', 'adios', 'hasta luego', 'hasta manana', 'vale',
    'si por favor', 'por favor', 'saludos', 'que tal', 'hay alguien',
  ],
  fr: [
    'bonjour', 'bonsoir', 'salut', 'coucou', 'merci', 'merci beaucoup', 'joyeux noel', 'bonne annee',
    'bonnes fetes', 'bonne journee', 'bonne soiree', 'au revoir', "d'accord", 'oui merci', 'non merci',
    "s'il vous plait", 'il y a quelqu\'un', 'allo',
  ],
  de: [
    'hallo', 'guten tag', 'guten morgen', 'guten abend', 'gute nacht', 'gruss gott', 'gruezi', 'servus', 'moin',
    'moin moin', 'danke', 'danke schon', 'danke sehr', 'vielen dank', 'frohe weihnachten', 'frohes neues jahr',
    'frohes fest', 'tschuss', 'auf wiedersehen', 'bitte', 'ja bitte', 'nein danke', 'ist da jemand',
  ],
  pt: [
    'ola', 'oi', 'bom dia', 'boa tarde', 'boa noite', 'obrigado', 'obrigada', 'muito obrigado', 'muito obrigada',
    'feliz natal', 'feliz ano novo', 'boas festas', 'tchau', 'ate logo', 'ate amanha', 'tudo bem', 'tudo bom',
    'por favor', 'alguem ai', 'bom dia a todos',
  ],
  it: [
    'ciao', 'buongiorno', 'buon giorno', 'buonasera', 'buona sera', 'buonanotte', 'buona notte', 'salve', 'grazie',
    'grazie mille', 'buon natale', 'buon anno', 'buone feste', 'arrivederci', 'a presto', 'per favore',
    'per piacere', "c'e qualcuno",
  ],
};

/**
 * Spellings that belong to one of two close languages, for the confusions
 * n-grams make between them in longer messages (Portuguese read as Spanish).
 * Tested on the lower-cased text with its accents.
 */
export const DISTINCTIVE: Partial<Record<SupportedLanguage, readonly RegExp[]>> = {
  pt: [
    /ç[ãõ]/gu,
    /[ãõ]/gu,
    /(?<!\p{L})não(?!\p{L})/gu,
    /(?<!\p{L})voc[êe]s?(?!\p{L})/gu,
    /(?<!\p{L})obrigad[oa]s?(?!\p{L})/gu,
    /(?<!\p{L})gostari(?:a|amos)(?!\p{L})/gu,
    /[aeiouáéíóúâêô]nh[aeiouáéíóú]/gu,
    /[aeiouáéíóúâêô]lh[aeiouáéíóú]/gu,
    /(?<!\p{L})é(?!\p{L})/gu,
    /(?<!\p{L})(?:uma|umas|uns|num|numa|pelo|pela|às|também|estou|tenho|queria|quero|meu|minha|nós|vocês|vossa|vosso|muito|sou|fazem|têm|tem)(?!\p{L})/gu,
  ],
  es: [
    /ñ/gu,
    /[¿¡]/gu,
    /(?<!\p{L})(?:el|los|las|muy|pero|usted|ustedes|gracias|estoy|tengo|quiero|quisiera|necesito|hay|mi|yo|una|un|del|al|hola|buenas|cuánto|cuanto|qué|también|vale)(?!\p{L})/gu,
    /[aeiou]ll[aeiou]/gu,
    /(?<!\p{L})y(?!\p{L})/gu,
  ],
};

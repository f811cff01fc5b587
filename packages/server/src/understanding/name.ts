/**
 * The visitor's name when they give it: "my name is…", "me llamo…",
 * "je m'appelle…", "ich heiße…", "chamo-me…", "mi chiamo…", and a sign-off
 * at the end ("Saludos, Ana García"). The lead-in is found on lower-cased
 * text and the name read on the original, since capitals tell a name from a word.
 */
const NAME = /^\s*(\p{Lu}[\p{Ll}'’-]+(?:\s+(?:de\s+|da\s+|van\s+|von\s+|di\s+|del\s+|dos\s+)?\p{Lu}[\p{Ll}'’-]+)?)/u;
/** Lead-ins that can only introduce a name: a lower-case name after them is still one. */
const EXPLICIT =
  /(?:^|[^\p{L}])(?:my name is|me llamo|mi nombre es|je m'appelle|je m’appelle|mon nom est|ich heiße|ich heisse|mein name ist|o meu nome é|meu nome é|chamo-me|me chamo|mi chiamo|il mio nome è)(?=\s)/gu;
/** Lead-ins that also introduce other words ("I am interested", "soy de Madrid"): only a capitalised name counts. */
const LEAD_INS = /(?:^|[^\p{L}])(?:name's|this is|i am|i'm|soy|je suis|eu sou|sou|sono)(?=\s)/gu;
const LOWER_NAME = /^\s*(\p{L}[\p{L}'’-]+(?:\s+\p{L}[\p{L}'’-]+)?)/u;
const capitalise = (w: string) => (w[0]?.toUpperCase() ?? '') + w.slice(1);
const SIGN_OFFS =
  /(?:^|[\n.!?,]\s*)(?:thanks|thank you|regards|best regards|kind regards|best|cheers|gracias|saludos|un saludo|atentamente|merci|cordialement|bien à vous|danke|grüße|gruß|viele grüße|beste grüße|mfg|lg|obrigad[oa]|cumprimentos|grazie|saluti|cordiali saluti)[,!.]?\s*[-–—]?/gu;
/** Capitalised words after "I am"/"soy"/"sono" that are not names. */
const NOT_NAMES = new Set(
  'interested interesada interesado interessiert interessato interessata intéressé intéressée intéressés looking writing calling contacting new nuevo nueva nouveau nouvelle neu nuovo nuova novo nova patient paciente patiente patientin paziente from de aus da en in the a an una un ein eine very muy très sehr molto muito so tan really available disponible here aquí ici qui aqui not no pas nicht non não just only solo seulement nur going planning hoping travelling traveling english inglés anglais inglese inglês mother father madre padre mère père mãe pai owner propietario propriétaire proprietario proprietário estudiante étudiant student studente estudante and y et und e with con avec mit com il la le el lo hi hello hola bonjour hallo olá ciao sorry perdón desolé désolée scusa'.split(
    ' ',
  ),
);

function nameAt(text: string, index: number): string | undefined {
  const m = NAME.exec(text.slice(index));
  const raw = m?.[1];
  if (!raw) return undefined;
  const parts = raw.split(/\s+/);
  if (NOT_NAMES.has((parts[0] ?? '').toLowerCase())) return undefined;
  const kept: string[] = [];
  for (const p of parts) {
    if (NOT_NAMES.has(p.toLowerCase())) break;
    kept.push(p);
  }
  return kept.join(' ') || undefined;
}

export function extractName(text: string): string | undefined {
  const lower = text.toLowerCase();
  // Lower-casing keeps positions for the scripts we read; otherwise give up rather than misread.
  if (lower.length !== text.length) return undefined;
  EXPLICIT.lastIndex = 0;
  for (let m = EXPLICIT.exec(lower); m; m = EXPLICIT.exec(lower)) {
    const at = m.index + m[0].length;
    const name = nameAt(text, at) ?? LOWER_NAME.exec(text.slice(at))?.[1];
    if (!name) continue;
    const kept: string[] = [];
    for (const w of name.split(/\s+/)) {
      // A second lower-case word after a lower-case name is the sentence going on ("me llamo ana y…").
      if (NOT_NAMES.has(w.toLowerCase()) || (kept.length && w === w.toLowerCase())) break;
      kept.push(capitalise(w));
    }
    if (kept.length) return kept.join(' ');
  }
  LEAD_INS.lastIndex = 0;
  for (let m = LEAD_INS.exec(lower); m; m = LEAD_INS.exec(lower)) {
    const name = nameAt(text, m.index + m[0].length);
    if (name) return name;
  }
  SIGN_OFFS.lastIndex = 0;
  for (let m = SIGN_OFFS.exec(lower); m; m = SIGN_OFFS.exec(lower)) {
    const rest = text.slice(m.index + m[0].length);
    // Only a sign-off at the very end: a name and nothing after it.
    const name = nameAt(text, m.index + m[0].length);
    if (name && rest.trim().replace(/[.!]$/, '') === name) return name;
  }
  return undefined;
}

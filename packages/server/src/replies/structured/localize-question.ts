import type { ClientConfig, ContentLanguage, QualificationQuestion, QuickReply } from '@leaddesk/shared';
import { conceptLabel, findConcepts } from '../../knowledge/answer/index.js';
import { fold } from './extract.js';
import { builtInQuestion } from './field-questions.js';
import { detectLanguage } from './language.js';
import { TEMPLATES } from './templates.js';

/**
 * An intake question as the visitor reads it: the tenant's translation, the
 * tenant's own text when it is already in the visitor's language, else the
 * built-in phrasing for its field. Options follow the same order, so a chip
 * `q:<id>:<i>` always means the tenant's option i. A question that cannot be
 * said in the visitor's language (a custom field, untranslated) is skipped
 * rather than asked in another language.
 */
export interface LocalizedQuestion {
  question: string;
  options: string[];
  quickReplies: QuickReply[];
}

const questionLanguageCache = new Map<string, ContentLanguage>();

/** The language the tenant wrote a text in (cached: tenant text changes rarely). */
function tenantTextLanguage(text: string, fallback: string): ContentLanguage {
  const key = `${fallback}:${text}`;
  let lang = questionLanguageCache.get(key);
  if (!lang) {
    lang = detectLanguage(text, null, fallback);
    if (questionLanguageCache.size > 5000) questionLanguageCache.clear();
    questionLanguageCache.set(key, lang);
  }
  return lang;
}

/**
 * A tenant's service or option in the visitor's words: the translated option
 * when the tenant's service question has one, a generic name for a known
 * service ("Check-up and cleaning" → "Revisión / Limpieza dental"), else the
 * name as the tenant wrote it (its own product name, e.g. "Invisalign").
 */
export function serviceLabel(
  config: ClientConfig,
  service: string,
  language: ContentLanguage,
  tenantLanguage: string,
): string {
  for (const q of config.qualificationQuestions) {
    if (q.field !== 'serviceInterest') continue;
    const name = fold(service);
    let i = q.options.findIndex((o) => fold(o) === name);
    if (i < 0) i = q.options.findIndex((o) => name.includes(fold(o)));
    const translated = i >= 0 ? q.translations[language]?.options?.[i] : undefined;
    if (translated) return translated;
  }
  if (tenantTextLanguage(service, tenantLanguage) === language) return service;
  const labels = [...new Set(findConcepts(service).map((c) => conceptLabel(c.concept, language)))];
  return labels.length && labels.every(Boolean) ? labels.join(' / ') : service;
}

export function localizeQuestion(
  q: QualificationQuestion,
  language: ContentLanguage,
  config: ClientConfig,
  tenantLanguage: string,
): LocalizedQuestion | null {
  const translation = q.translations[language];
  const own = tenantTextLanguage(q.question, tenantLanguage) === language;
  const builtIn = builtInQuestion(q.field, language);
  const question = translation?.question ?? (own ? q.question : builtIn?.question);
  if (!question) return null;

  let options: string[] = [];
  if (q.type === 'multiple_choice') {
    if (translation?.options?.length === q.options.length) options = translation.options;
    else if (own) options = q.options;
    else if (builtIn?.options?.length === q.options.length) options = builtIn.options;
    else options = q.options.map((o) => serviceLabel(config, o, language, tenantLanguage));
  } else if (q.type === 'yes_no') {
    options = [TEMPLATES[language].yes, TEMPLATES[language].no];
  }
  return { question, options, quickReplies: options.map((label, i) => ({ id: `q:${q.id}:${i}`, label })) };
}

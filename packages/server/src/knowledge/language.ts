import { KNOWLEDGE_LANGUAGES, type KnowledgeLanguage } from '@leaddesk/shared';

const BY_CODE: Record<string, KnowledgeLanguage> = {
  en: 'english',
  es: 'spanish',
  fr: 'french',
  de: 'german',
  pt: 'portuguese',
  it: 'italian',
};

/**
 * The PostgreSQL text-search configuration for a locale (`es-MX` → spanish).
 * Languages without one use `simple`: no stemming, but still searchable.
 */
export function textSearchConfigFor(locale: string | null | undefined): KnowledgeLanguage {
  const code = (locale ?? '').toLowerCase().split(/[-_]/)[0] ?? '';
  if ((KNOWLEDGE_LANGUAGES as readonly string[]).includes(code)) return code as KnowledgeLanguage;
  return BY_CODE[code] ?? 'simple';
}

/** Moved to the understanding module; kept so existing imports keep working. */
export {
  detectLanguage,
  isSupportedLanguage,
  SUPPORTED_LANGUAGES,
  type SupportedLanguage,
} from '../../understanding/language.js';

export { formatDuration } from './format-duration.js';
export { REPORT_LANGUAGES, type ReportLanguage, type ReportTexts, reportTexts } from './report-texts.js';

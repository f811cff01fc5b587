/** The launcher's few strings, "open|close|unread" per language. The chat has its own table. */
const LABELS: Record<string, string> = {
  en: 'Open chat|Close chat|unread',
  es: 'Abrir chat|Cerrar chat|sin leer',
  fr: 'Ouvrir le chat|Fermer le chat|non lus',
  de: 'Chat öffnen|Chat schließen|ungelesen',
  pt: 'Abrir chat|Fechar chat|não lidas',
  it: 'Apri chat|Chiudi chat|non letti',
};

export function launcherLabels(language: string): [string, string, string] {
  return (LABELS[language.slice(0, 2)] ?? LABELS.en!).split('|') as [string, string, string];
}

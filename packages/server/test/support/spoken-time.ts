/** An instant as a lead would name it in a message: the day ("7 de diciembre", "December 7") and the hour ("10:00"). */
export function spokenTime(iso: string, timeZone: string, language: string): { day: string; time: string } {
  const at = new Date(iso);
  const day = new Intl.DateTimeFormat(language, { timeZone, day: 'numeric', month: 'long' }).format(at);
  const time = new Intl.DateTimeFormat(language, {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(at);
  return { day, time };
}

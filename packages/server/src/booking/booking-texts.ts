/**
 * What the booking flow says to the lead, in the six languages the
 * structured mode speaks (the visitor's language, else the tenant's). Dates
 * are formatted with Intl in the tenant's time zone.
 */
export const BOOKING_LANGUAGES = ['en', 'es', 'fr', 'de', 'pt', 'it'] as const;
export type BookingLanguage = (typeof BOOKING_LANGUAGES)[number];

interface Texts {
  offer: (service: string | null) => string;
  taken: string;
  noSlots: (days: number) => string;
  needContact: string;
  confirmed: (when: string, service: string | null) => string;
  rescheduleOffer: string;
  rescheduled: (when: string) => string;
  cancelled: (when: string) => string;
  failed: string;
  expired: string;
  reminder: (when: string) => string;
  pickNumber: (n: number) => string;
}

const TEXTS: Record<BookingLanguage, Texts> = {
  en: {
    offer: (s) => `Here are the next free times${s ? ` for ${s}` : ''}. Which one suits you?`,
    taken: 'Sorry, that time was just taken. Here are the next free ones:',
    noSlots: (d) => `I couldn't find a free time in the next ${d} days; our team will contact you to arrange one.`,
    needContact: 'To book it I need your name and an email address or phone number. Could you send them?',
    confirmed: (w, s) => `You're booked${s ? ` for ${s}` : ''}: ${w}. See you then!`,
    rescheduleOffer: 'Of course. Here are other free times:',
    rescheduled: (w) => `Done: your appointment is moved to ${w}.`,
    cancelled: (w) => `Your appointment on ${w} is cancelled.`,
    failed: "I couldn't book that just now; our team will confirm a time with you shortly.",
    expired: 'Those times are no longer available. Here are the current ones:',
    reminder: (w) => `Reminder: your appointment is tomorrow, ${w}.`,
    pickNumber: (n) => `Reply with a number from 1 to ${n}.`,
  },
  es: {
    offer: (s) => `Estos son los próximos horarios libres${s ? ` para ${s}` : ''}. ¿Cuál le viene bien?`,
    taken: 'Lo siento, ese horario se acaba de ocupar. Estos son los siguientes libres:',
    noSlots: (d) =>
      `No encuentro horarios libres en los próximos ${d} días; nuestro equipo le contactará para buscar uno.`,
    needContact: 'Para reservar necesito su nombre y un email o teléfono. ¿Me los envía?',
    confirmed: (w, s) => `Reserva confirmada${s ? ` para ${s}` : ''}: ${w}. ¡Hasta pronto!`,
    rescheduleOffer: 'Claro. Estos son otros horarios libres:',
    rescheduled: (w) => `Hecho: su cita queda cambiada al ${w}.`,
    cancelled: (w) => `Su cita del ${w} queda cancelada.`,
    failed: 'No he podido reservarlo ahora; nuestro equipo le confirmará un horario en breve.',
    expired: 'Esos horarios ya no están disponibles. Estos son los actuales:',
    reminder: (w) => `Recordatorio: su cita es mañana, ${w}.`,
    pickNumber: (n) => `Responda con un número del 1 al ${n}.`,
  },
  fr: {
    offer: (s) => `Voici les prochains créneaux libres${s ? ` pour ${s}` : ''}. Lequel vous convient ?`,
    taken: 'Désolé, ce créneau vient d’être pris. Voici les suivants :',
    noSlots: (d) => `Je ne trouve aucun créneau libre dans les ${d} prochains jours ; notre équipe vous contactera.`,
    needContact: 'Pour réserver, il me faut votre nom et un email ou un numéro de téléphone. Pouvez-vous les envoyer ?',
    confirmed: (w, s) => `C’est réservé${s ? ` pour ${s}` : ''} : ${w}. À bientôt !`,
    rescheduleOffer: 'Bien sûr. Voici d’autres créneaux libres :',
    rescheduled: (w) => `C’est fait : votre rendez-vous est déplacé au ${w}.`,
    cancelled: (w) => `Votre rendez-vous du ${w} est annulé.`,
    failed: 'Je n’ai pas pu réserver pour l’instant ; notre équipe vous confirmera un créneau rapidement.',
    expired: 'Ces créneaux ne sont plus disponibles. Voici les actuels :',
    reminder: (w) => `Rappel : votre rendez-vous est demain, ${w}.`,
    pickNumber: (n) => `Répondez avec un chiffre de 1 à ${n}.`,
  },
  de: {
    offer: (s) => `Hier sind die nächsten freien Termine${s ? ` für ${s}` : ''}. Welcher passt Ihnen?`,
    taken: 'Dieser Termin wurde leider gerade vergeben. Hier sind die nächsten freien:',
    noSlots: (d) => `In den nächsten ${d} Tagen ist kein Termin frei; unser Team meldet sich bei Ihnen.`,
    needContact: 'Für die Buchung brauche ich Ihren Namen und eine E-Mail-Adresse oder Telefonnummer.',
    confirmed: (w, s) => `Ihr Termin${s ? ` für ${s}` : ''} ist gebucht: ${w}. Bis dann!`,
    rescheduleOffer: 'Gern. Hier sind andere freie Termine:',
    rescheduled: (w) => `Erledigt: Ihr Termin ist auf ${w} verschoben.`,
    cancelled: (w) => `Ihr Termin am ${w} ist abgesagt.`,
    failed: 'Die Buchung hat gerade nicht geklappt; unser Team bestätigt Ihnen in Kürze einen Termin.',
    expired: 'Diese Termine sind nicht mehr frei. Hier sind die aktuellen:',
    reminder: (w) => `Erinnerung: Ihr Termin ist morgen, ${w}.`,
    pickNumber: (n) => `Antworten Sie mit einer Zahl von 1 bis ${n}.`,
  },
  pt: {
    offer: (s) => `Estes são os próximos horários livres${s ? ` para ${s}` : ''}. Qual lhe convém?`,
    taken: 'Lamento, esse horário acabou de ser ocupado. Estes são os seguintes:',
    noSlots: (d) => `Não encontro horários livres nos próximos ${d} dias; a nossa equipa vai contactá-lo.`,
    needContact: 'Para marcar preciso do seu nome e de um email ou telefone. Pode enviá-los?',
    confirmed: (w, s) => `Marcação confirmada${s ? ` para ${s}` : ''}: ${w}. Até breve!`,
    rescheduleOffer: 'Claro. Estes são outros horários livres:',
    rescheduled: (w) => `Feito: a sua marcação passou para ${w}.`,
    cancelled: (w) => `A sua marcação de ${w} foi cancelada.`,
    failed: 'Não consegui marcar agora; a nossa equipa vai confirmar um horário em breve.',
    expired: 'Esses horários já não estão disponíveis. Estes são os atuais:',
    reminder: (w) => `Lembrete: a sua marcação é amanhã, ${w}.`,
    pickNumber: (n) => `Responda com um número de 1 a ${n}.`,
  },
  it: {
    offer: (s) => `Ecco i prossimi orari liberi${s ? ` per ${s}` : ''}. Quale preferisce?`,
    taken: 'Mi dispiace, quell’orario è appena stato preso. Ecco i prossimi liberi:',
    noSlots: (d) => `Non trovo orari liberi nei prossimi ${d} giorni; il nostro team la contatterà.`,
    needContact: 'Per prenotare mi servono il suo nome e un’email o un numero di telefono.',
    confirmed: (w, s) => `Prenotazione confermata${s ? ` per ${s}` : ''}: ${w}. A presto!`,
    rescheduleOffer: 'Certo. Ecco altri orari liberi:',
    rescheduled: (w) => `Fatto: il suo appuntamento è spostato a ${w}.`,
    cancelled: (w) => `Il suo appuntamento del ${w} è annullato.`,
    failed: 'Non sono riuscito a prenotare ora; il nostro team le confermerà un orario a breve.',
    expired: 'Quegli orari non sono più disponibili. Ecco quelli attuali:',
    reminder: (w) => `Promemoria: il suo appuntamento è domani, ${w}.`,
    pickNumber: (n) => `Risponda con un numero da 1 a ${n}.`,
  },
};

export function bookingLanguage(...candidates: Array<string | null | undefined>): BookingLanguage {
  for (const c of candidates) {
    const base = c?.slice(0, 2).toLowerCase();
    if (base && (BOOKING_LANGUAGES as readonly string[]).includes(base)) return base as BookingLanguage;
  }
  return 'en';
}

export function bookingTexts(language: BookingLanguage): Texts {
  return TEXTS[language];
}

/** "Tue 5 Sep 09:00": short enough for a WhatsApp reply button (20 characters). */
export function slotLabel(iso: string, timeZone: string, language: BookingLanguage): string {
  const d = new Date(iso);
  const part = (options: Intl.DateTimeFormatOptions) =>
    new Intl.DateTimeFormat(language, { timeZone, ...options }).format(d).replace(/\.$/, '');
  const label = `${part({ weekday: 'short' })} ${part({ day: 'numeric' })} ${part({ month: 'short' })} ${part({
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  })}`;
  return label.replace(/\s+/g, ' ').slice(0, 20);
}

/** A full date and time for confirmations: "Tuesday 5 September, 09:00". */
export function longWhen(iso: string, timeZone: string, language: BookingLanguage): string {
  return new Intl.DateTimeFormat(language, {
    timeZone,
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(iso));
}

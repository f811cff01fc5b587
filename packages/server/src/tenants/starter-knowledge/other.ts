import type { StarterSet } from './types.js';

/**
 * The "other" template has no services or prices to quote, so its starter
 * document holds only what every business is asked: hours (the default
 * business hours of the config), quotes, payment and cancellation.
 */
export const OTHER_STARTER: StarterSet = {
  en: {
    knowledgeBase: 'Business information (English)',
    title: 'Practical information',
    markdown: `## Opening hours
We are open Monday to Friday from 9 am to 6 pm, and closed at weekends and on public holidays. Messages sent outside these hours are answered the next working morning.

## Prices and quotes
Prices depend on what you need, so we send a written quote, free of charge, before any work starts. Tell us what you are looking for and we will get back to you within one working day.

## Payment
You can pay by credit or debit card, bank transfer or cash. We send an invoice for every payment.

## Cancellation policy
You can cancel or reschedule an appointment free of charge up to 24 hours before. Please let us know as early as you can, by replying to your confirmation or writing to us here.
`,
  },
  es: {
    knowledgeBase: 'Información del negocio (español)',
    title: 'Información práctica',
    markdown: `## Horario
Abrimos de lunes a viernes de 9:00 a 18:00; fines de semana y festivos cerrado. Los mensajes que llegan fuera de horario se contestan la mañana del siguiente día laborable.

## Precios y presupuestos
El precio depende de lo que necesite, así que le enviamos un presupuesto por escrito, sin compromiso y gratuito, antes de empezar. Cuéntenos qué busca y le respondemos en un día laborable.

## Formas de pago
Puede pagar con tarjeta de crédito o débito, transferencia bancaria o en efectivo. Enviamos factura de cada pago.

## Política de cancelación
Puede cancelar o cambiar una cita sin coste hasta 24 horas antes. Avísenos lo antes posible, respondiendo a la confirmación o escribiéndonos por aquí.
`,
  },
  fr: {
    knowledgeBase: "Informations de l'entreprise (français)",
    title: 'Informations pratiques',
    markdown: `## Horaires d'ouverture
Nous sommes ouverts du lundi au vendredi de 9 h à 18 h, et fermés le week-end et les jours fériés. Les messages reçus en dehors de ces horaires reçoivent une réponse le jour ouvré suivant au matin.

## Tarifs et devis
Le prix dépend de votre besoin : nous vous envoyons un devis écrit et gratuit avant tout travail. Dites-nous ce que vous cherchez et nous vous répondons sous un jour ouvré.

## Paiement
Vous pouvez payer par carte bancaire, virement ou en espèces. Chaque paiement donne lieu à une facture.

## Conditions d'annulation
Vous pouvez annuler ou déplacer un rendez-vous sans frais jusqu'à 24 heures avant. Prévenez-nous le plus tôt possible, en répondant à la confirmation ou en nous écrivant ici.
`,
  },
  de: {
    knowledgeBase: 'Unternehmensinformationen (Deutsch)',
    title: 'Praktische Informationen',
    markdown: `## Öffnungszeiten
Wir sind Montag bis Freitag von 9 bis 18 Uhr für Sie da; am Wochenende und an Feiertagen ist geschlossen. Nachrichten außerhalb dieser Zeiten beantworten wir am nächsten Werktag morgens.

## Preise und Angebote
Der Preis hängt davon ab, was Sie brauchen: Vor jedem Auftrag erhalten Sie ein kostenloses schriftliches Angebot. Sagen Sie uns, was Sie suchen, und wir melden uns innerhalb eines Werktags.

## Bezahlung
Sie können mit Kredit- oder Debitkarte, per Überweisung oder bar bezahlen. Für jede Zahlung erhalten Sie eine Rechnung.

## Stornierungsbedingungen
Einen Termin können Sie bis 24 Stunden vorher kostenlos absagen oder verschieben. Bitte sagen Sie uns so früh wie möglich Bescheid, per Antwort auf die Bestätigung oder hier im Chat.
`,
  },
  pt: {
    knowledgeBase: 'Informações da empresa (português)',
    title: 'Informações práticas',
    markdown: `## Horário de funcionamento
Estamos abertos de segunda a sexta, das 9h às 18h, e fechados aos fins de semana e feriados. As mensagens recebidas fora desse horário são respondidas na manhã do dia útil seguinte.

## Preços e orçamentos
O preço depende do que você precisa, por isso enviamos um orçamento por escrito, gratuito, antes de começar qualquer trabalho. Conte-nos o que procura e respondemos em até um dia útil.

## Pagamento
Pode pagar com cartão de crédito ou débito, transferência bancária ou em dinheiro. Emitimos nota fiscal de cada pagamento.

## Política de cancelamento
Pode cancelar ou remarcar um horário sem custo até 24 horas antes. Avise-nos o quanto antes, respondendo à confirmação ou escrevendo-nos aqui.
`,
  },
  it: {
    knowledgeBase: "Informazioni sull'attività (italiano)",
    title: 'Informazioni pratiche',
    markdown: `## Orari di apertura
Siamo aperti dal lunedì al venerdì dalle 9 alle 18; chiusi nel fine settimana e nei giorni festivi. Ai messaggi arrivati fuori orario rispondiamo la mattina del giorno lavorativo successivo.

## Prezzi e preventivi
Il prezzo dipende da ciò che vi serve: prima di iniziare inviamo un preventivo scritto e gratuito. Diteci cosa cercate e vi rispondiamo entro un giorno lavorativo.

## Pagamenti
Si può pagare con carta di credito o bancomat, bonifico bancario o in contanti. Per ogni pagamento emettiamo fattura.

## Politica di cancellazione
Potete disdire o spostare un appuntamento senza costi fino a 24 ore prima. Avvisateci il prima possibile, rispondendo alla conferma o scrivendoci qui.
`,
  },
};

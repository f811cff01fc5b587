import type { SupportedLanguage } from './language.js';

/**
 * The structured mode's own sentences, per language. Tenant questions, options
 * and FAQ answers are the tenant's text, used in the visitor's language when
 * the tenant translated them (built-in phrasings in field-questions.ts stand in
 * where it did not).
 */
export interface ReplyTemplates {
  greeting(business: string): string;
  thanks: string;
  notUnderstood: string;
  askContact: string;
  contactThanks: string;
  complete(business: string): string;
  escalate: string;
  escalateAskContact: string;
  fallback: string;
  yes: string;
  no: string;
  /** A question nothing in the knowledge base answers with certainty. */
  willConfirm: string;
  /** "<what was understood> — noted." */
  noted(summary: string): string;
  /** Acknowledgements before a hand-over. */
  complaintAck: string;
  cancellationAck: string;
  emergencyAck: string;
  urgentAck: string;
  /** The hand-over itself (the conversation was escalated). */
  handedOver: string;
  cancellationHandedOver: string;
  /** When the tenant's rules do not hand the conversation over. */
  teamWillFollowUp: string;
}

export const TEMPLATES: Record<SupportedLanguage, ReplyTemplates> = {
  en: {
    greeting: (b) => `Hi, thanks for contacting ${b}!`,
    thanks: 'Thanks, got it.',
    notUnderstood: "Sorry, I didn't quite catch that.",
    askContact: 'What is the best email address or phone number to reach you?',
    contactThanks: 'Thank you, we have your contact details.',
    complete: (b) => `Thank you! The ${b} team has everything they need and will get back to you shortly.`,
    escalate:
      "Of course. I'm passing your conversation to a member of our team, who will reply here as soon as possible.",
    escalateAskContact: 'In case we miss you, could you leave an email address or phone number?',
    fallback: 'Thanks for your message. A member of our team will follow up with you shortly.',
    yes: 'Yes',
    no: 'No',
    willConfirm: "I'll check that with our team, who will confirm it for you.",
    noted: (s) => `${s} — noted.`,
    complaintAck: "I'm very sorry to hear that.",
    cancellationAck: 'No problem.',
    emergencyAck: "I'm sorry you're going through this.",
    urgentAck: "Understood, it's urgent.",
    handedOver: "I've passed your message to our team, who will get back to you personally as soon as possible.",
    cancellationHandedOver: "I've passed your cancellation to our team, who will confirm it with you shortly.",
    teamWillFollowUp: 'A member of our team will follow up with you shortly.',
  },
  es: {
    greeting: (b) => `¡Hola, gracias por contactar con ${b}!`,
    thanks: 'Gracias, anotado.',
    notUnderstood: 'Perdona, no lo he entendido bien.',
    askContact: '¿Cuál es el mejor correo electrónico o teléfono para contactarte?',
    contactThanks: 'Gracias, ya tenemos tus datos de contacto.',
    complete: (b) => `¡Gracias! El equipo de ${b} tiene todo lo que necesita y te responderá en breve.`,
    escalate:
      'Por supuesto. Paso tu conversación a una persona de nuestro equipo, que te responderá aquí lo antes posible.',
    escalateAskContact: 'Por si no te encontramos, ¿puedes dejarnos un correo electrónico o un teléfono?',
    fallback: 'Gracias por tu mensaje. Una persona de nuestro equipo te contactará en breve.',
    yes: 'Sí',
    no: 'No',
    willConfirm: 'Lo consulto con nuestro equipo, que te lo confirmará.',
    noted: (s) => `${s}, anotado.`,
    complaintAck: 'Siento mucho lo ocurrido.',
    cancellationAck: 'Sin problema.',
    emergencyAck: 'Siento mucho que estés pasando por esto.',
    urgentAck: 'Entendido, es urgente.',
    handedOver: 'He pasado tu mensaje a nuestro equipo y una persona te responderá personalmente lo antes posible.',
    cancellationHandedOver: 'He pasado tu cancelación a nuestro equipo, que te la confirmará en breve.',
    teamWillFollowUp: 'Una persona de nuestro equipo te contactará en breve.',
  },
  fr: {
    greeting: (b) => `Bonjour, merci d'avoir contacté ${b} !`,
    thanks: "Merci, c'est noté.",
    notUnderstood: "Désolé, je n'ai pas bien compris.",
    askContact: 'Quelle est la meilleure adresse e-mail ou le meilleur numéro de téléphone pour vous joindre ?',
    contactThanks: 'Merci, nous avons vos coordonnées.',
    complete: (b) => `Merci ! L'équipe de ${b} a tout ce qu'il lui faut et reviendra vers vous très vite.`,
    escalate:
      'Bien sûr. Je transmets votre conversation à un membre de notre équipe, qui vous répondra ici dès que possible.',
    escalateAskContact: 'Au cas où, pourriez-vous laisser une adresse e-mail ou un numéro de téléphone ?',
    fallback: 'Merci pour votre message. Un membre de notre équipe vous recontactera rapidement.',
    yes: 'Oui',
    no: 'Non',
    willConfirm: 'Je vérifie auprès de notre équipe, qui vous le confirmera.',
    noted: (s) => `${s} : c'est noté.`,
    complaintAck: "Je suis vraiment désolé de l'apprendre.",
    cancellationAck: 'Pas de souci.',
    emergencyAck: 'Je suis désolé que vous traversiez cela.',
    urgentAck: "Compris, c'est urgent.",
    handedOver:
      "J'ai transmis votre message à notre équipe, et quelqu'un vous répondra personnellement dès que possible.",
    cancellationHandedOver: "J'ai transmis votre annulation à notre équipe, qui vous la confirmera rapidement.",
    teamWillFollowUp: 'Un membre de notre équipe vous recontactera rapidement.',
  },
  de: {
    greeting: (b) => `Hallo, danke, dass Sie ${b} kontaktieren!`,
    thanks: 'Danke, notiert.',
    notUnderstood: 'Entschuldigung, das habe ich nicht ganz verstanden.',
    askContact: 'Unter welcher E-Mail-Adresse oder Telefonnummer erreichen wir Sie am besten?',
    contactThanks: 'Danke, wir haben Ihre Kontaktdaten.',
    complete: (b) => `Vielen Dank! Das Team von ${b} hat alles, was es braucht, und meldet sich in Kürze bei Ihnen.`,
    escalate:
      'Natürlich. Ich gebe Ihr Gespräch an ein Teammitglied weiter, das Ihnen hier so schnell wie möglich antwortet.',
    escalateAskContact: 'Für alle Fälle: Könnten Sie uns eine E-Mail-Adresse oder Telefonnummer hinterlassen?',
    fallback: 'Danke für Ihre Nachricht. Ein Teammitglied meldet sich in Kürze bei Ihnen.',
    yes: 'Ja',
    no: 'Nein',
    willConfirm: 'Ich kläre das mit unserem Team, das es Ihnen bestätigen wird.',
    noted: (s) => `${s} – notiert.`,
    complaintAck: 'Das tut mir sehr leid.',
    cancellationAck: 'Kein Problem.',
    emergencyAck: 'Es tut mir leid, dass es Ihnen gerade so geht.',
    urgentAck: 'Verstanden, es ist dringend.',
    handedOver:
      'Ich habe Ihre Nachricht an unser Team weitergegeben; jemand meldet sich so schnell wie möglich persönlich bei Ihnen.',
    cancellationHandedOver: 'Ich habe Ihre Stornierung an unser Team weitergegeben, das sie Ihnen in Kürze bestätigt.',
    teamWillFollowUp: 'Ein Teammitglied meldet sich in Kürze bei Ihnen.',
  },
  pt: {
    greeting: (b) => `Olá, obrigado por contactar ${b}!`,
    thanks: 'Obrigado, anotado.',
    notUnderstood: 'Desculpe, não percebi bem.',
    askContact: 'Qual é o melhor e-mail ou telefone para falarmos consigo?',
    contactThanks: 'Obrigado, já temos os seus contactos.',
    complete: (b) => `Obrigado! A equipa de ${b} já tem tudo o que precisa e vai responder-lhe em breve.`,
    escalate:
      'Claro. Vou passar a sua conversa a uma pessoa da nossa equipa, que lhe responderá aqui o mais depressa possível.',
    escalateAskContact: 'Caso não o encontremos, pode deixar um e-mail ou telefone?',
    fallback: 'Obrigado pela sua mensagem. Uma pessoa da nossa equipa entrará em contacto em breve.',
    yes: 'Sim',
    no: 'Não',
    willConfirm: 'Vou confirmar com a nossa equipa, que lhe dará a resposta.',
    noted: (s) => `${s}, anotado.`,
    complaintAck: 'Lamento muito o sucedido.',
    cancellationAck: 'Sem problema.',
    emergencyAck: 'Lamento muito que esteja a passar por isto.',
    urgentAck: 'Entendido, é urgente.',
    handedOver: 'Passei a sua mensagem à nossa equipa e alguém lhe responderá pessoalmente o mais depressa possível.',
    cancellationHandedOver: 'Passei o seu cancelamento à nossa equipa, que o confirmará consigo em breve.',
    teamWillFollowUp: 'Uma pessoa da nossa equipa entrará em contacto em breve.',
  },
  it: {
    greeting: (b) => `Ciao, grazie per aver contattato ${b}!`,
    thanks: 'Grazie, preso nota.',
    notUnderstood: 'Scusa, non ho capito bene.',
    askContact: 'Qual è il modo migliore per contattarti, email o telefono?',
    contactThanks: 'Grazie, abbiamo i tuoi recapiti.',
    complete: (b) => `Grazie! Il team di ${b} ha tutto ciò che serve e ti risponderà a breve.`,
    escalate: 'Certo. Passo la conversazione a una persona del nostro team, che ti risponderà qui il prima possibile.',
    escalateAskContact:
      'Nel caso non riuscissimo a trovarti, puoi lasciare un indirizzo email o un numero di telefono?',
    fallback: 'Grazie per il messaggio. Una persona del nostro team ti ricontatterà a breve.',
    yes: 'Sì',
    no: 'No',
    willConfirm: 'Verifico con il nostro team, che te lo confermerà.',
    noted: (s) => `${s}, preso nota.`,
    complaintAck: 'Mi dispiace molto per quanto successo.',
    cancellationAck: 'Nessun problema.',
    emergencyAck: 'Mi dispiace molto che tu stia passando tutto questo.',
    urgentAck: 'Capito, è urgente.',
    handedOver:
      'Ho passato il tuo messaggio al nostro team e una persona ti risponderà personalmente il prima possibile.',
    cancellationHandedOver: 'Ho passato la tua cancellazione al nostro team, che te la confermerà a breve.',
    teamWillFollowUp: 'Una persona del nostro team ti ricontatterà a breve.',
  },
};

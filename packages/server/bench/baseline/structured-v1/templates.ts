import type { SupportedLanguage } from './language.js';

/**
 * The structured mode's own sentences, per language. Tenant questions, options
 * and FAQ answers are the tenant's text and are used as written.
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
  },
};

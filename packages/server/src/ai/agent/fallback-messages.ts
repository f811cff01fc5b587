import type { SupportedLanguage } from '../../replies/structured/language.js';

/**
 * What the visitor reads when the AI cannot answer. Never a provider's error
 * text: a friendly sentence in their language, and a person follows up.
 */
export interface FallbackMessages {
  /** Before a structured-mode answer when every provider failed. */
  aiUnavailable: string;
  /** Appended when a provider fails after part of the reply was streamed. */
  interrupted: string;
  /** When the output check stops a reply that quoted the instructions. */
  refused: string;
}

export const FALLBACK_MESSAGES: Record<SupportedLanguage, FallbackMessages> = {
  en: {
    aiUnavailable: 'Thanks for your message! A member of our team will also follow up personally.',
    interrupted: '… Sorry, I was cut off there. A member of our team will follow up with you shortly.',
    refused: "I'm sorry, I can't share that. Is there anything about our services I can help you with?",
  },
  es: {
    aiUnavailable: '¡Gracias por tu mensaje! Una persona de nuestro equipo también te responderá personalmente.',
    interrupted: '… Perdona, se me ha cortado la respuesta. Una persona de nuestro equipo te contactará en breve.',
    refused: 'Lo siento, no puedo compartir eso. ¿Te puedo ayudar con algo sobre nuestros servicios?',
  },
  fr: {
    aiUnavailable: 'Merci pour votre message ! Un membre de notre équipe vous répondra aussi personnellement.',
    interrupted: '… Désolé, ma réponse a été interrompue. Un membre de notre équipe vous recontactera rapidement.',
    refused: 'Désolé, je ne peux pas partager cela. Puis-je vous aider au sujet de nos services ?',
  },
  de: {
    aiUnavailable: 'Danke für Ihre Nachricht! Ein Mitglied unseres Teams meldet sich zusätzlich persönlich bei Ihnen.',
    interrupted:
      '… Entschuldigung, meine Antwort wurde unterbrochen. Ein Mitglied unseres Teams meldet sich in Kürze bei Ihnen.',
    refused: 'Das kann ich leider nicht teilen. Kann ich Ihnen sonst zu unseren Leistungen helfen?',
  },
  pt: {
    aiUnavailable: 'Obrigado pela sua mensagem! Alguém da nossa equipa também vai responder pessoalmente.',
    interrupted: '… Desculpe, a minha resposta foi interrompida. Alguém da nossa equipa vai contactá-lo em breve.',
    refused: 'Desculpe, não posso partilhar isso. Posso ajudar com algo sobre os nossos serviços?',
  },
  it: {
    aiUnavailable: 'Grazie per il tuo messaggio! Una persona del nostro team ti risponderà anche personalmente.',
    interrupted: '… Scusa, la mia risposta si è interrotta. Una persona del nostro team ti contatterà a breve.',
    refused: 'Mi dispiace, non posso condividerlo. Posso aiutarti con qualcosa sui nostri servizi?',
  },
};

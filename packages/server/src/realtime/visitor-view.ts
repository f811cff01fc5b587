import type { MessageDto } from '@leaddesk/shared';

/**
 * What a visitor may see of a stored message. The AI metadata (model, tokens,
 * router decision, intent, the lead's score and next action — the structured
 * part of a reply) is for staff; a visitor keeps only the reply's language
 * (for the widget's own strings) and the quick-reply chips.
 */
export function visitorView(message: MessageDto): MessageDto {
  if (!message.ai) return message;
  const { language, quickReplies } = message.ai;
  if (!language && !quickReplies?.length) return { ...message, ai: null };
  return {
    ...message,
    ai: { ...(language ? { language } : {}), ...(quickReplies?.length ? { quickReplies } : {}) },
  };
}

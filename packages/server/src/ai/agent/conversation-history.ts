import type { MessageDto } from '@leaddesk/shared';
import type { ChatTurn } from '../providers/provider.js';

/**
 * The last messages as chat turns. Visitor text is wrapped in
 * <visitor_message> tags (any tag the visitor typed is defused first), so the
 * model can always tell data from instructions. Staff messages are the
 * business speaking and go in as assistant turns. Consecutive turns of one
 * role are merged and the history starts with a user turn, as both APIs want.
 */
export function historyTurns(history: MessageDto[], keepLast: number): ChatTurn[] {
  const turns: ChatTurn[] = [];
  for (const m of history.slice(-keepLast)) {
    let turn: ChatTurn | undefined;
    if (m.role === 'visitor') turn = { role: 'user', content: wrapVisitorText(m.content) };
    else if (m.role === 'ai') turn = { role: 'assistant', content: m.content };
    else if (m.role === 'staff') turn = { role: 'assistant', content: `(a team member wrote) ${m.content}` };
    if (!turn?.content.trim()) continue;
    const last = turns.at(-1);
    if (last && last.role === turn.role) last.content += `\n\n${turn.content}`;
    else turns.push(turn);
  }
  while (turns[0]?.role === 'assistant') turns.shift();
  if (!turns.length) turns.push({ role: 'user', content: wrapVisitorText('') });
  return turns;
}

export function wrapVisitorText(text: string): string {
  const defused = text.replace(/<\s*\/?\s*visitor_message\s*>/gi, '[tag removed]');
  return `<visitor_message>\n${defused}\n</visitor_message>`;
}

/** Messages that fell out of the window, as plain lines for the rolling summary. */
export function transcript(messages: MessageDto[]): string {
  return messages
    .filter((m) => m.role === 'visitor' || m.role === 'ai' || m.role === 'staff')
    .map((m) => `${m.role === 'visitor' ? 'Visitor' : m.role === 'ai' ? 'Assistant' : 'Staff'}: ${m.content}`)
    .join('\n');
}

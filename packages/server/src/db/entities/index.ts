export { Agency, type IAgency } from './agency.js';
export { AuditLog, type IAuditLog } from './audit-log.js';
export { AUTH_TOKEN_PURPOSES, AuthToken, type AuthTokenPurpose, type IAuthToken } from './auth-token.js';
export { Client, type IClient } from './client.js';
export { CONVERSATION_REUSE_WINDOW_MS, Conversation, type IConversation } from './conversation.js';
export { ConversationEvent, type IConversationEvent } from './conversation-event.js';
export { CopilotSuggestion, type ICopilotSuggestion } from './copilot-suggestion.js';
export { Escalation, type IEscalation } from './escalation.js';
export { type IKnowledgeBase, KnowledgeBase } from './knowledge-base.js';
export { type IKnowledgeChunk, KnowledgeChunk } from './knowledge-chunk.js';
export { type ILead, Lead } from './lead.js';
export { type IMessage, Message } from './message.js';
export { type IQualificationRule, QualificationRule } from './qualification-rule.js';
export { type IUsageLog, UsageLog } from './usage-log.js';
export { type IUser, User } from './user.js';
export { type IUserSession, UserSession } from './user-session.js';

import { Agency } from './agency.js';
import { AuditLog } from './audit-log.js';
import { AuthToken } from './auth-token.js';
import { Client } from './client.js';
import { Conversation } from './conversation.js';
import { ConversationEvent } from './conversation-event.js';
import { CopilotSuggestion } from './copilot-suggestion.js';
import { Escalation } from './escalation.js';
import { KnowledgeBase } from './knowledge-base.js';
import { KnowledgeChunk } from './knowledge-chunk.js';
import { Lead } from './lead.js';
import { Message } from './message.js';
import { QualificationRule } from './qualification-rule.js';
import { UsageLog } from './usage-log.js';
import { User } from './user.js';
import { UserSession } from './user-session.js';

export const ALL_ENTITIES = [
  Agency,
  Client,
  User,
  UserSession,
  AuditLog,
  Lead,
  Conversation,
  Message,
  KnowledgeBase,
  KnowledgeChunk,
  Escalation,
  QualificationRule,
  CopilotSuggestion,
  ConversationEvent,
  UsageLog,
  AuthToken,
];

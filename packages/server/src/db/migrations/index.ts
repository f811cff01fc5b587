import { Migration20261125000000Initial } from './20261125000000-initial.js';
import { Migration20261125010000ConversationCore } from './20261125010000-conversation-core.js';
import { Migration20261125020000Auth } from './20261125020000-auth.js';
import { Migration20261125030000Knowledge } from './20261125030000-knowledge.js';
import { Migration20261125040000AiPipeline } from './20261125040000-ai-pipeline.js';
import { Migration20261125050000Channels } from './20261125050000-channels.js';
import { Migration20261125060000StaffCopilot } from './20261125060000-staff-copilot.js';
import { Migration20261125065000StoreMessageFunction } from './20261125065000-store-message-function.js';
import { Migration20261125070000ConversationEvents } from './20261125070000-conversation-events.js';
import { Migration20261125080000VisitorLeadLookup } from './20261125080000-visitor-lead-lookup.js';
import { Migration20261202000000ReplyObligations } from './20261202000000-reply-obligations.js';
import { Migration20261202030000WebhookDeadLetters } from './20261202030000-webhook-dead-letters.js';
import { Migration20261202040000KnowledgeSearchSpeed } from './20261202040000-knowledge-search-speed.js';
import { Migration20261203010000KnowledgeTenantToken } from './20261203010000-knowledge-tenant-token.js';
import { Migration20261203020000OutgoingWebhooks } from './20261203020000-outgoing-webhooks.js';
import { Migration20261203030000Bookings } from './20261203030000-bookings.js';
import { Migration20261203040000CrmSync } from './20261203040000-crm-sync.js';
import { Migration20261203050000AutomationRules } from './20261203050000-automation-rules.js';
import { Migration20261203060000FollowUps } from './20261203060000-follow-ups.js';
import { Migration20261204010000FollowUpQuietGuard } from './20261204010000-follow-up-quiet-guard.js';
import { Migration20261205020300DigestClaims } from './20261205020300-digest-claims.js';
import { Migration20261205020400CallbackTaskDone } from './20261205020400-callback-task-done.js';

/** Every migration in order. Listed explicitly so that they bundle and run under tsx alike. */
export const MIGRATIONS = [
  { name: 'Migration20261125000000Initial', class: Migration20261125000000Initial },
  { name: 'Migration20261125010000ConversationCore', class: Migration20261125010000ConversationCore },
  { name: 'Migration20261125020000Auth', class: Migration20261125020000Auth },
  { name: 'Migration20261125030000Knowledge', class: Migration20261125030000Knowledge },
  { name: 'Migration20261125040000AiPipeline', class: Migration20261125040000AiPipeline },
  { name: 'Migration20261125050000Channels', class: Migration20261125050000Channels },
  { name: 'Migration20261125060000StaffCopilot', class: Migration20261125060000StaffCopilot },
  { name: 'Migration20261125065000StoreMessageFunction', class: Migration20261125065000StoreMessageFunction },
  { name: 'Migration20261125070000ConversationEvents', class: Migration20261125070000ConversationEvents },
  { name: 'Migration20261125080000VisitorLeadLookup', class: Migration20261125080000VisitorLeadLookup },
  { name: 'Migration20261202000000ReplyObligations', class: Migration20261202000000ReplyObligations },
  { name: 'Migration20261202030000WebhookDeadLetters', class: Migration20261202030000WebhookDeadLetters },
  { name: 'Migration20261202040000KnowledgeSearchSpeed', class: Migration20261202040000KnowledgeSearchSpeed },
  { name: 'Migration20261203010000KnowledgeTenantToken', class: Migration20261203010000KnowledgeTenantToken },
  { name: 'Migration20261203020000OutgoingWebhooks', class: Migration20261203020000OutgoingWebhooks },
  { name: 'Migration20261203030000Bookings', class: Migration20261203030000Bookings },
  { name: 'Migration20261203040000CrmSync', class: Migration20261203040000CrmSync },
  { name: 'Migration20261203050000AutomationRules', class: Migration20261203050000AutomationRules },
  { name: 'Migration20261203060000FollowUps', class: Migration20261203060000FollowUps },
  { name: 'Migration20261204010000FollowUpQuietGuard', class: Migration20261204010000FollowUpQuietGuard },
  { name: 'Migration20261205020300DigestClaims', class: Migration20261205020300DigestClaims },
  { name: 'Migration20261205020400CallbackTaskDone', class: Migration20261205020400CallbackTaskDone },
];

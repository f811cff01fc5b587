import type {
  AgencyClientDto,
  AgencyDto,
  AnalyticsDto,
  AutomationSettings,
  BookingDto,
  BookingSlot,
  BrandDomain,
  BrandDomainTakeover,
  Branding,
  CalcomConnectionTest,
  CalcomSettingsInput,
  CalcomSettingsView,
  CallbackTaskDto,
  ChannelSettingsView,
  ClientConfig,
  ClientConfigInput,
  ConversationDto,
  ConversionModelStatus,
  CreateWebhookEndpointInput,
  CrmResyncResult,
  CrmSyncDto,
  EffectiveBranding,
  EmailSettingsInput,
  EscalationDto,
  EscalationStats,
  FollowUpState,
  HoursStatusDto,
  HubSpotSettingsInput,
  HubSpotSettingsView,
  HubSpotTestResult,
  InboxFilter,
  IngestionDto,
  KnowledgeBaseDto,
  KnowledgeHitDto,
  LeadDto,
  LeadErasure,
  LeadStatus,
  LeadTagsDto,
  MessageDto,
  MonthlyReportSettings,
  OverviewDto,
  OverviewQuery,
  PlanView,
  ReportInsightsDto,
  ReportPeriod,
  ReportsDto,
  RetentionReport,
  RoiReportDto,
  Role,
  RuleDto,
  RuleFiringDto,
  RuleInput,
  ScoringReportDto,
  StaffConversationDto,
  StaffMember,
  TelephonySettingsInput,
  TwilioSettingsInput,
  UpdateWebhookEndpointInput,
  WebhookDeliveryView,
  WebhookEndpointView,
  WebhookEndpointWithSecret,
  WhatsAppSettingsInput,
} from '@leaddesk/shared';
import type { MergePatchOf } from './merge-patch.js';

/**
 * The typed REST client. The access token lives in memory only; the refresh
 * token is the server's HttpOnly cookie, so a reload signs in again with
 * `POST /auth/refresh` and a 401 is retried once after a refresh.
 */

export interface Me {
  user: { id: string; email: string; name: string; role: Role; twoFactorEnabled?: boolean };
  client: { id: string; name: string; slug: string; require2fa: boolean } | null;
  /** Agency staff: the agency whose clients they switch between (they have no client of their own). */
  agency?: { id: string; name: string; slug: string } | null;
}

/** The client's branding override, what it resolves to (with its agency's) and its brand domains. */
export interface BrandingView {
  branding: Branding;
  effective: EffectiveBranding;
  domains: BrandDomain[];
}

export interface Page<T> {
  data: T[];
  page: number;
  pageSize: number;
  total: number;
}

export interface ClientDto {
  id: string;
  slug: string;
  name: string;
  /** The agency reselling the client (issue 18), or null. */
  agencyId?: string | null;
  industry: string;
  timezone: string;
  locale: string;
  plan: string;
  status: string;
  siteKey: string;
  apiKeyPrefix: string;
  allowedOrigins: string[];
  config: ClientConfig;
  usage: { month: string | null; tokensUsed: number; tokenBudget: number };
}

/** `GET /reports/monthly-email`: who gets the monthly report email and the months sent. */
export interface MonthlyEmailView {
  settings: MonthlyReportSettings;
  sent: Array<{ month: string; status: string; sentAt: string | null; recipients: number }>;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The server's field-level details of a validation error (`path` like `config.hours.holidays.0.date`). */
    readonly details: Array<{ path: string; message: string }> = [],
  ) {
    super(message);
  }
}

type LoginResult =
  | { status: 'authenticated'; accessToken: string; user: Me['user'] }
  | { status: 'mfa_required' | 'mfa_setup_required'; mfaToken: string };

let accessToken: string | null = null;
let onSignedOut: (() => void) | null = null;
const CLIENT_KEY = 'ld.actingClient';

export const session = {
  get token() {
    return accessToken;
  },
  set(token: string | null) {
    accessToken = token;
  },
  /** The client a super admin acts for (sent as X-Client-Id and in the socket handshake). */
  get clientId(): string | null {
    return sessionStorage.getItem(CLIENT_KEY);
  },
  set clientId(id: string | null) {
    if (id) sessionStorage.setItem(CLIENT_KEY, id);
    else sessionStorage.removeItem(CLIENT_KEY);
  },
  onSignedOut(fn: () => void) {
    onSignedOut = fn;
  },
};

/**
 * The agency's own routes (issue 18) act on no client: the selected one is not sent there, so a client that
 * has left the agency (its X-Client-Id now "not found") never locks its staff out of their client list.
 */
export function clientHeaderFor(path: string): string | null {
  return path.startsWith('/agency') ? null : session.clientId;
}

function authHeaders(path = ''): Record<string, string> {
  const headers: Record<string, string> = {};
  if (accessToken) headers.authorization = `Bearer ${accessToken}`;
  const clientId = clientHeaderFor(path);
  if (clientId) headers['x-client-id'] = clientId;
  return headers;
}

async function raw<T>(method: string, path: string, body?: unknown, retry = true): Promise<T> {
  const headers = authHeaders(path);
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`/api/v1${path}`, {
    method,
    headers,
    credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status === 401 && retry && accessToken && !path.startsWith('/auth/')) {
    if (await refresh()) return raw(method, path, body, false);
    onSignedOut?.();
  }
  const text = await res.text();
  const json = text ? JSON.parse(text) : undefined;
  if (!res.ok) {
    const details = Array.isArray(json?.error?.details) ? json.error.details : [];
    throw new ApiError(res.status, json?.error?.code ?? 'error', json?.error?.message ?? res.statusText, details);
  }
  return json as T;
}

/** A file behind the bearer token (a plain link cannot carry it). */
async function download(path: string, retry = true): Promise<Blob> {
  const res = await fetch(`/api/v1${path}`, { headers: authHeaders(path), credentials: 'same-origin' });
  if (res.status === 401 && retry && (await refresh())) return download(path, false);
  if (!res.ok) throw new ApiError(res.status, 'error', res.statusText);
  return res.blob();
}

/** New access token from the refresh cookie; false when signed out. */
export async function refresh(): Promise<boolean> {
  try {
    const res = await raw<{ accessToken: string }>('POST', '/auth/refresh', {}, false);
    accessToken = res.accessToken;
    return true;
  } catch {
    accessToken = null;
    return false;
  }
}

const qs = (params: Record<string, string | number | undefined | null>) => {
  const entries = Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== '');
  return entries.length ? `?${new URLSearchParams(entries.map(([k, v]) => [k, String(v)]))}` : '';
};

export const api = {
  async login(email: string, password: string): Promise<LoginResult> {
    const res = await raw<LoginResult>('POST', '/auth/login', { email, password, device: 'dashboard' });
    if (res.status === 'authenticated') accessToken = res.accessToken;
    return res;
  },
  async login2fa(mfaToken: string, code: string): Promise<void> {
    const res = await raw<{ accessToken: string }>('POST', '/auth/login/2fa', { mfaToken, code, device: 'dashboard' });
    accessToken = res.accessToken;
  },
  async logout() {
    await raw('POST', '/auth/logout', {}).catch(() => undefined);
    accessToken = null;
  },
  me: () => raw<Me>('GET', '/auth/me'),
  signupOpen: () => raw<{ open: boolean }>('GET', '/signup'),
  signup: (body: {
    businessName: string;
    industry: string;
    name: string;
    email: string;
    password: string;
    timezone?: string;
    website?: string;
  }) => raw<{ clientId: string; slug: string; userId: string }>('POST', '/signup', body),
  twoFactorSetup: () => raw<{ secret: string; otpauthUrl: string }>('POST', '/auth/2fa/setup', {}),
  twoFactorEnable: (code: string) => raw<{ backupCodes: string[] }>('POST', '/auth/2fa/enable', { code }),

  inbox: (q: { filter: InboxFilter; channel?: string; q?: string; minScore?: number; page?: number }) =>
    raw<Page<StaffConversationDto>>('GET', `/inbox${qs({ ...q, pageSize: 50 })}`),
  team: () => raw<{ data: Array<StaffMember & { role: Role }> }>('GET', '/team'),

  leads: (q: {
    page?: number;
    pageSize?: number;
    status?: string;
    temperature?: string;
    source?: string;
    q?: string;
    tag?: string;
  }) => raw<Page<LeadDto>>('GET', `/leads${qs(q)}`),
  lead: (id: string) => raw<LeadDto>('GET', `/leads/${id}`),
  leadConversations: (leadId: string) =>
    raw<Page<ConversationDto>>('GET', `/conversations${qs({ leadId, pageSize: 50 })}`),
  messages: (conversationId: string) =>
    raw<{ data: MessageDto[] }>('GET', `/conversations/${conversationId}/messages?limit=500`),
  setLeadStatus: (id: string, status: LeadStatus) => raw<LeadDto>('PATCH', `/leads/${id}/status`, { status }),
  /** Everything kept about the lead, as a JSON file (GET /leads/:id/export). */
  exportLead: (id: string) => download(`/leads/${id}/export`),
  /** Erases the lead everywhere (irreversible; admins). */
  eraseLead: (id: string) => raw<LeadErasure>('DELETE', `/leads/${id}`),
  addLeadTag: (id: string, tag: string) => raw<LeadTagsDto>('POST', `/leads/${id}/tags`, { tag }),
  removeLeadTag: (id: string, tag: string) =>
    raw<LeadTagsDto>('DELETE', `/leads/${id}/tags/${encodeURIComponent(tag)}`),

  escalations: (status?: string) => raw<Page<EscalationDto>>('GET', `/escalations${qs({ status, pageSize: 100 })}`),
  escalationStats: () => raw<EscalationStats>('GET', '/escalations/stats'),
  resolveEscalation: (id: string, resolution: string) =>
    raw<EscalationDto>('POST', `/escalations/${id}/resolve`, { resolution }),

  analytics: (days = 30) => raw<AnalyticsDto>('GET', `/analytics${qs({ days })}`),
  /** Response-time SLA and missed revenue for a named period, in the tenant's zone. */
  reports: (period: ReportPeriod) => raw<ReportsDto>('GET', `/reports${qs({ period })}`),
  /** Channels, questions, booking times, funnel, follow-ups and prompt variants for a period (docs/reports.md). */
  insights: (period: ReportPeriod) => raw<ReportInsightsDto>('GET', `/reports/insights${qs({ period })}`),
  /** Lead scoring: temperature by week, won rate by response time, the conversion model's status. */
  reportScoring: (period: ReportPeriod) => raw<ScoringReportDto>('GET', `/reports/scoring${qs({ period })}`),
  refitConversionModel: () => raw<ConversionModelStatus>('POST', '/reports/scoring/model/refit', {}),
  monthlyEmail: () => raw<MonthlyEmailView>('GET', '/reports/monthly-email'),
  setMonthlyEmail: (settings: MonthlyReportSettings) =>
    raw<MonthlyEmailView>('PUT', '/reports/monthly-email', settings),

  client: () => raw<ClientDto>('GET', '/client'),
  branding: () => raw<BrandingView>('GET', '/client/branding'),
  updateBranding: (patch: MergePatchOf<Branding>) => raw<BrandingView>('PATCH', '/client/branding', patch),
  addBrandDomain: (host: string) => raw<{ data: BrandingView['domains'] }>('POST', '/client/brand-domains', { host }),
  removeBrandDomain: (host: string) => raw<void>('DELETE', `/client/brand-domains/${encodeURIComponent(host)}`),
  /** Looks the domain's TXT record up now: verified, or still pending with the reason. */
  verifyBrandDomain: (host: string) =>
    raw<{ data: BrandDomain }>('POST', `/client/brand-domains/${encodeURIComponent(host)}/verify`, {}),
  /** The TXT record that moves a host another tenant holds here (docs/white-label.md, "Moving a domain"). */
  brandDomainTakeover: (host: string) =>
    raw<{ data: BrandDomainTakeover }>('GET', `/client/brand-domains/${encodeURIComponent(host)}/take-over`),
  takeOverBrandDomain: (host: string) =>
    raw<{ data: BrandDomain }>('POST', `/client/brand-domains/${encodeURIComponent(host)}/take-over`, {}),
  /** A JSON Merge Patch: only the fields sent change (null removes an optional one). */
  updateClient: (patch: MergePatchOf<{ name: string; timezone: string; config: ClientConfigInput }>) =>
    raw<ClientDto>('PATCH', '/client', patch),
  rotateApiKey: () => raw<{ apiKey: string }>('POST', '/client/api-key/rotate', {}),
  channels: () => raw<ChannelSettingsView>('GET', '/channels'),
  saveWhatsApp: (body: WhatsAppSettingsInput) => raw<ChannelSettingsView>('PATCH', '/channels/whatsapp', body),
  saveTwilio: (body: TwilioSettingsInput) => raw<ChannelSettingsView>('PATCH', '/channels/twilio', body),
  saveTelephony: (body: TelephonySettingsInput) => raw<ChannelSettingsView>('PATCH', '/channels/telephony', body),
  saveEmailChannel: (body: EmailSettingsInput) => raw<ChannelSettingsView>('PATCH', '/channels/email', body),
  disconnectChannel: (channel: 'whatsapp' | 'twilio' | 'telephony' | 'email') =>
    raw<ChannelSettingsView>('DELETE', `/channels/${channel}`),
  hubspot: () => raw<HubSpotSettingsView>('GET', '/crm/hubspot'),
  /** A JSON Merge Patch of the connection (secrets write-only: omitted keeps the stored one). */
  saveHubSpot: (patch: MergePatchOf<HubSpotSettingsInput>) => raw<HubSpotSettingsView>('PATCH', '/crm/hubspot', patch),
  testHubSpot: () => raw<HubSpotTestResult>('POST', '/crm/hubspot/test', {}),
  disconnectHubSpot: () => raw<HubSpotSettingsView>('DELETE', '/crm/hubspot'),
  resyncHubSpot: (all = false) => raw<CrmResyncResult>('POST', '/crm/hubspot/resync', { all }),
  leadCrm: (leadId: string) => raw<CrmSyncDto>('GET', `/leads/${leadId}/crm`),
  syncLeadCrm: (leadId: string) => raw<CrmSyncDto>('POST', `/leads/${leadId}/crm/sync`, {}),
  users: () => raw<{ data: Array<{ id: string; name: string; email: string; role: Role }> }>('GET', '/users'),
  plan: () => raw<PlanView>('GET', '/plan'),
  invite: (email: string, role: Role, name?: string) => raw('POST', '/users/invitations', { email, role, name }),
  knowledgeBases: () => raw<Page<KnowledgeBaseDto>>('GET', '/knowledge-bases?pageSize=100'),
  createKnowledgeBase: (name: string, description: string) =>
    raw<KnowledgeBaseDto>('POST', '/knowledge-bases', { name, description }),
  addFaq: (kbId: string, question: string, answer: string) =>
    raw<IngestionDto>('POST', `/knowledge-bases/${kbId}/faqs`, { question, answer }),
  ingestion: (kbId: string, id: string) => raw<IngestionDto>('GET', `/knowledge-bases/${kbId}/ingestions/${id}`),
  ingestions: (kbId: string) => raw<Page<IngestionDto>>('GET', `/knowledge-bases/${kbId}/ingestions?pageSize=20`),
  searchKnowledge: (q: string, knowledgeBaseId?: string) =>
    raw<{ mode: string; hits: KnowledgeHitDto[] }>('GET', `/knowledge/search${qs({ q, k: 5, knowledgeBaseId })}`),
  knowledgeSuggestions: () =>
    raw<{ data: Array<{ question: string; count: number; questionIds: string[]; examples: string[] }> }>(
      'GET',
      '/knowledge/suggestions',
    ),
  resolveSuggestions: (questionIds: string[]) => raw('POST', '/knowledge/suggestions/resolve', { questionIds }),
  /** Multipart upload with byte progress (fetch has no upload progress). */
  upload(kbId: string, file: File, onProgress: (fraction: number) => void): Promise<IngestionDto> {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', `/api/v1/knowledge-bases/${kbId}/documents`);
      if (accessToken) xhr.setRequestHeader('authorization', `Bearer ${accessToken}`);
      if (session.clientId) xhr.setRequestHeader('x-client-id', session.clientId);
      xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
      xhr.onload = () => {
        const body = xhr.responseText ? JSON.parse(xhr.responseText) : {};
        if (xhr.status >= 200 && xhr.status < 300) resolve(body as IngestionDto);
        else reject(new ApiError(xhr.status, body?.error?.code ?? 'error', body?.error?.message ?? 'upload failed'));
      };
      xhr.onerror = () => reject(new ApiError(0, 'network', 'upload failed'));
      const form = new FormData();
      form.append('file', file);
      xhr.send(form);
    });
  },
  automationRules: () => raw<{ data: RuleDto[] }>('GET', '/automation/rules'),
  createAutomationRule: (body: RuleInput) => raw<RuleDto>('POST', '/automation/rules', body),
  /** A JSON Merge Patch of the rule (arrays such as actions are replaced whole). */
  updateAutomationRule: (id: string, patch: Partial<RuleInput>) =>
    raw<RuleDto>('PATCH', `/automation/rules/${id}`, patch),
  deleteAutomationRule: (id: string) => raw<void>('DELETE', `/automation/rules/${id}`),
  automationFirings: (ruleId?: string) =>
    raw<{ data: RuleFiringDto[] }>('GET', `/automation/firings${qs({ ruleId, limit: 50 })}`),
  automationHours: () => raw<HoursStatusDto>('GET', '/automation/hours'),
  callbackTasks: () => raw<{ data: CallbackTaskDto[] }>('GET', '/automation/callbacks'),
  completeCallbackTask: (id: string) => raw<CallbackTaskDto>('POST', `/automation/callbacks/${id}/done`, {}),
  adminClients: () => raw<Page<ClientDto>>('GET', '/admin/clients?pageSize=100'),
  createClient: (body: {
    name: string;
    industry: string;
    plan: string;
    timezone?: string;
    allowedOrigins?: string[];
    starterKnowledge?: boolean;
  }) => raw<{ client: ClientDto; apiKey: string }>('POST', '/admin/clients', body),
  updateAdminClient: (id: string, body: { status?: string; plan?: string; agencyId?: string | null }) =>
    raw<ClientDto>('PATCH', `/admin/clients/${id}`, body),
  // Agencies (issue 18), for super admins
  adminAgencies: () => raw<Page<AgencyDto>>('GET', '/admin/agencies?pageSize=100'),
  createAgency: (name: string) => raw<AgencyDto>('POST', '/admin/agencies', { name }),
  inviteAgencyMember: (agencyId: string, email: string, role: Role) =>
    raw<AgencyStaffMember>('POST', `/admin/agencies/${agencyId}/invitations`, { email, role }),

  // Outgoing webhooks (Settings → Integrations → Webhooks)
  webhookEndpoints: () => raw<{ data: WebhookEndpointView[] }>('GET', '/webhook-endpoints'),
  createWebhookEndpoint: (body: CreateWebhookEndpointInput) =>
    raw<WebhookEndpointWithSecret>('POST', '/webhook-endpoints', body),
  /** A JSON Merge Patch of the endpoint's fields. */
  updateWebhookEndpoint: (id: string, patch: UpdateWebhookEndpointInput) =>
    raw<WebhookEndpointView>('PATCH', `/webhook-endpoints/${id}`, patch),
  deleteWebhookEndpoint: (id: string) => raw<{ deleted: true }>('DELETE', `/webhook-endpoints/${id}`),
  rotateWebhookSecret: (id: string) =>
    raw<WebhookEndpointWithSecret>('POST', `/webhook-endpoints/${id}/rotate-secret`, {}),
  sendWebhookTest: (id: string) => raw<{ deliveryId: string }>('POST', `/webhook-endpoints/${id}/test`, {}),
  webhookDeliveries: (id: string) =>
    raw<{ data: WebhookDeliveryView[] }>('GET', `/webhook-endpoints/${id}/deliveries?limit=25`),
  replayWebhookDelivery: (id: string) => raw<{ replayed: true }>('POST', `/webhook-deliveries/${id}/replay`, {}),
  // Follow-ups, review capture, digest and retention (issue 14)
  automationSettings: () => raw<AutomationSettings>('GET', '/automation/follow-ups'),
  patchAutomationSettings: (patch: MergePatchOf<AutomationSettings>) =>
    raw<AutomationSettings>('PATCH', '/automation/follow-ups', patch),
  followUpState: (conversationId: string) => raw<FollowUpState>('GET', `/conversations/${conversationId}/follow-ups`),
  stopFollowUps: (conversationId: string) =>
    raw<FollowUpState>('POST', `/conversations/${conversationId}/follow-ups/stop`, { reason: 'staff' }),
  retentionRun: (dryRun: boolean) => raw<RetentionReport>('POST', '/automation/retention/run', { dryRun }),
};

/** The ROI report (Analytics → Reports) and the overview (Clients: every client for super admins, the agency's for agency staff). */
export const reportsApi = {
  roi: (period: ReportPeriod) => raw<RoiReportDto>('GET', `/reports/roi${qs({ period })}`),
  overview: (q: Pick<OverviewQuery, 'period' | 'sort' | 'order'>, scope: 'platform' | 'agency' = 'platform') =>
    raw<OverviewDto>('GET', `${scope === 'agency' ? '/agency/overview' : '/admin/reports/overview'}${qs(q)}`),
};

/** Agency staff (issue 18): their agency, its clients (the switcher) and its new clients. */
export const agencyApi = {
  agency: () => raw<AgencyDto>('GET', '/agency'),
  clients: () => raw<{ data: AgencyClientDto[] }>('GET', '/agency/clients'),
  createClient: (body: Parameters<typeof api.createClient>[0]) =>
    raw<{ client: ClientDto; apiKey: string }>('POST', '/agency/clients', body),
  staff: () => raw<{ data: AgencyStaffMember[] }>('GET', '/agency/users?pageSize=100'),
  invite: (email: string, role: Role) => raw<AgencyStaffMember>('POST', '/agency/users/invitations', { email, role }),
  /** A JSON Merge Patch of the member's role and status. */
  updateStaff: (id: string, patch: { role?: Role; disabled?: boolean }) =>
    raw<AgencyStaffMember>('PATCH', `/agency/users/${id}`, patch),
  /** The agency's own branding (its clients inherit it) and its brand domains: the client calls' shape. */
  branding: () => raw<BrandingView>('GET', '/agency/branding'),
  updateBranding: (patch: MergePatchOf<Branding>) => raw<BrandingView>('PATCH', '/agency/branding', patch),
  addBrandDomain: (host: string) => raw<{ data: BrandingView['domains'] }>('POST', '/agency/brand-domains', { host }),
  removeBrandDomain: (host: string) => raw<void>('DELETE', `/agency/brand-domains/${encodeURIComponent(host)}`),
  verifyBrandDomain: (host: string) =>
    raw<{ data: BrandDomain }>('POST', `/agency/brand-domains/${encodeURIComponent(host)}/verify`, {}),
  /** The TXT record that moves a host another tenant holds here (docs/white-label.md, "Moving a domain"). */
  brandDomainTakeover: (host: string) =>
    raw<{ data: BrandDomainTakeover }>('GET', `/agency/brand-domains/${encodeURIComponent(host)}/take-over`),
  takeOverBrandDomain: (host: string) =>
    raw<{ data: BrandDomain }>('POST', `/agency/brand-domains/${encodeURIComponent(host)}/take-over`, {}),
};

export interface AgencyStaffMember {
  id: string;
  name: string;
  email: string;
  role: Role;
  status: 'active' | 'invited' | 'disabled';
}

/** Cal.com (Settings → Integrations) and a lead's bookings (the lead page's booking panel). */
export const bookingApi = {
  calcom: () => raw<CalcomSettingsView>('GET', '/integrations/calcom'),
  /** A JSON Merge Patch: the key and webhook secret are write-only (absent keeps the stored one). */
  saveCalcom: (patch: MergePatchOf<CalcomSettingsInput>) =>
    raw<CalcomSettingsView>('PATCH', '/integrations/calcom', patch),
  testCalcom: (apiKey?: string) =>
    raw<CalcomConnectionTest>('POST', '/integrations/calcom/test', apiKey ? { apiKey } : {}),
  leadBookings: (leadId: string) => raw<BookingDto[]>('GET', `/leads/${leadId}/bookings`),
  leadSlots: (leadId: string, service?: string) =>
    raw<{ timeZone: string; slots: BookingSlot[] }>('GET', `/leads/${leadId}/booking-slots${qs({ service })}`),
  book: (leadId: string, start: string, requestKey: string) =>
    raw<BookingDto>('POST', `/leads/${leadId}/bookings`, { start, requestKey }),
  reschedule: (bookingId: string, start: string) =>
    raw<BookingDto>('POST', `/bookings/${bookingId}/reschedule`, { start }),
  cancel: (bookingId: string) => raw<BookingDto>('POST', `/bookings/${bookingId}/cancel`, {}),
};

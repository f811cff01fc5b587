/**
 * @leaddesk/widget public API: the `window.LeadDesk` global that loader.js
 * installs, and the types a host page (or a TypeScript app) can import.
 */
import type { MessageDto } from '@leaddesk/shared';

export type WidgetPosition = 'bottom-right' | 'bottom-left';
export type WidgetTheme = 'light' | 'dark' | 'auto';

/** Resolved options: snippet data attributes first, then the business's config. */
export interface WidgetOptions {
  /** `data-site-key`: the business's public key (`pk_…`). */
  siteKey: string;
  /** `data-server`: origin of the Lead Desk server. @default the loader script's origin */
  server: string;
  /** Where loader.js came from; widget.js is loaded from the same place. */
  assetBase: string;
  /** `data-position` @default from the business config, else 'bottom-right' */
  position?: WidgetPosition;
  /** `data-color` (`#rrggbb`) @default from the business config */
  color?: string;
  /** `data-greeting` @default from the business config */
  greeting?: string;
  /** `data-language` @default navigator.language */
  language: string;
  /** `data-theme` @default from the business config ('auto' follows the OS) */
  theme?: WidgetTheme;
  /**
   * `data-load`: when the chat bundle is fetched. `intent`: the pointer or
   * focus on the launcher, a touch on it, or idle time 10 s after the page
   * loaded; `idle`: as soon as the page is idle; `open`: on first open only.
   * A returning visitor with a conversation in progress gets it at once.
   * @default 'intent'
   */
  load: 'intent' | 'idle' | 'open';
}

export interface IdentifyInput {
  name?: string;
  email?: string;
  phone?: string;
  /** Server-signed identity (`userId.expiresAtUnix.hmacHex`) for tenants that require it. */
  identityToken?: string;
}

/** Events a host page can listen to with `LeadDesk.on(...)`. */
export interface LeadDeskEvents {
  /** A new message in the conversation (from the visitor, the assistant or staff). */
  message: MessageDto;
  open: undefined;
  close: undefined;
  /** The chat bundle is loaded and mounted. */
  ready: undefined;
  /** Unread message count changed. */
  unread: number;
}

export type LeadDeskListener<K extends keyof LeadDeskEvents> = (payload: LeadDeskEvents[K]) => void;

export interface LeadDeskApi {
  readonly version: string;
  open(): void;
  close(): void;
  toggle(): void;
  /** Tells the business who the visitor is; resolves when the server has it. */
  identify(input: IdentifyInput): Promise<void>;
  /** Returns a function that removes the listener. */
  on<K extends keyof LeadDeskEvents>(event: K, listener: LeadDeskListener<K>): () => void;
  off<K extends keyof LeadDeskEvents>(event: K, listener: LeadDeskListener<K>): void;
}

declare global {
  interface Window {
    LeadDesk?: LeadDeskApi;
  }
}

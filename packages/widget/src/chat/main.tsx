/**
 * widget.js: the chat. loader.js loads it when the page is idle or on first
 * open; it mounts a Preact app into the loader's shadow root and talks to the
 * server over Socket.IO (/widget namespace).
 */
import { render } from 'preact';
import type { WidgetPosition, WidgetTheme } from '../api.js';
import { BRIDGE_KEY, type Bridge, type BridgeHolder, type ChatHandle } from '../bridge.js';
import { adoptCss } from '../dom/adopt-css.js';
import { App } from './app.js';
import { bundledStrings } from './i18n.js';
import { ChatSession, unreadCount } from './session.js';
import { createStorage } from './storage.js';

declare const __LD_WIDGET_CSS__: string;

interface PublicConfig {
  businessName: string;
  locale: string;
  widget: {
    primaryColor: string;
    position: WidgetPosition;
    greeting: string;
    theme: WidgetTheme;
    logoUrl?: string;
    /** Absent from servers older than the consent line. */
    consent?: { text?: Record<string, string>; privacyUrl?: string };
    poweredBy?: { hidden?: boolean; label?: string; url?: string };
  };
  /** The product the "Powered by" line names when it has no label of its own (the tenant's brand). */
  productName?: string;
}

/** The consent text in the visitor's language ("es-MX" reads "es"), else English, else the first given. */
function consentText(texts: Record<string, string> | undefined, language: string): string | undefined {
  if (!texts) return undefined;
  return texts[language.split('-')[0] ?? ''] ?? texts.en ?? Object.values(texts)[0];
}

async function fetchConfig(server: string, siteKey: string): Promise<PublicConfig | { code: string; message: string }> {
  try {
    const res = await fetch(`${server}/api/v1/widget/config?siteKey=${encodeURIComponent(siteKey)}`, {
      credentials: 'omit',
    });
    const body = await res.json();
    return res.ok ? (body as PublicConfig) : (body.error as { code: string; message: string });
  } catch {
    return { code: 'network', message: '' };
  }
}

function mountChat(bridge: Bridge): ChatHandle {
  const { options, root } = bridge;
  adoptCss(root, __LD_WIDGET_CSS__);
  const container = root.getElementById('ld-chat') ?? root.appendChild(document.createElement('div'));
  const strings = bundledStrings();
  const storage = createStorage(options.siteKey);
  const session = new ChatSession({
    server: options.server,
    siteKey: options.siteKey,
    language: options.language,
    storage,
    onMessage: (message) => bridge.emit('message', message),
  });

  let unread = -1;
  session.subscribe((state) => {
    const count = state.open ? 0 : unreadCount(state);
    if (count !== unread) {
      unread = count;
      bridge.setBadge(count);
      bridge.emit('unread', count);
    }
  });

  const dark = matchMedia('(prefers-color-scheme: dark)');
  let config: PublicConfig | null = null;
  const draw = () => {
    const theme = options.theme ?? config?.widget.theme ?? 'auto';
    render(
      <App
        session={session}
        strings={strings}
        greeting={options.greeting ?? config?.widget.greeting ?? ''}
        logoUrl={config?.widget.logoUrl}
        fallbackName={config?.businessName ?? ''}
        theme={theme === 'auto' ? (dark.matches ? 'dark' : 'light') : theme}
        position={options.position ?? config?.widget.position ?? 'bottom-right'}
        consent={{
          text: consentText(config?.widget.consent?.text, options.language),
          privacyUrl: config?.widget.consent?.privacyUrl,
        }}
        poweredBy={config?.widget.poweredBy}
        productName={config?.productName}
        onClose={() => handle.close()}
      />,
      container,
    );
  };
  dark.addEventListener('change', draw);
  draw();

  void fetchConfig(options.server, options.siteKey).then((result) => {
    if ('businessName' in result) {
      config = result;
      session.setBusinessName(result.businessName);
      if (!options.color) bridge.setColor(result.widget.primaryColor);
      if (!options.position) bridge.setPosition(result.widget.position);
      draw();
    } else if (result.code === 'invalid_site_key' || result.code === 'client_paused') {
      session.setUnavailable(result.code, result.message);
    }
  });

  // Someone with a conversation in progress reconnects at once, so replies and
  // the unread badge arrive while the panel is closed.
  if (session.hasHistory) session.connect();

  const handle: ChatHandle = {
    open() {
      session.setOpen(true);
      bridge.setOpen(true);
      bridge.emit('open', undefined);
    },
    close() {
      const hadFocus = root.activeElement !== null;
      session.setOpen(false);
      bridge.setOpen(false);
      bridge.emit('close', undefined);
      if (hadFocus) bridge.focusLauncher();
    },
    identify: (input) => session.identify(input),
  };
  return handle;
}

(window as unknown as BridgeHolder)[BRIDGE_KEY]?.ready(mountChat);

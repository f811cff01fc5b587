import type { WidgetPosition } from '../api.js';

// Stroke, size and colour come from loader.css, so each icon is just its path.
const icon = (d: string, cls = '') => `<svg viewBox="0 0 24 24" class="${cls}"><path d="${d}"/></svg>`;
const CHAT_ICON = icon('M21 12a8 8 0 0 1-11.6 7.1L4 20l1-4.6A8 8 0 1 1 21 12z');
const CLOSE_ICON = icon('M6 6l12 12M18 6L6 18');
const SPINNER = icon('M12 3a9 9 0 1 0 9 9', 's');

export interface Launcher {
  button: HTMLButtonElement;
  setState(state: 'closed' | 'open' | 'loading'): void;
  setBadge(count: number): void;
  setPosition(position: WidgetPosition): void;
}

/** The round launcher button, drawn with plain DOM so loader.js stays tiny. */
export function createLauncher(root: ShadowRoot, labels: [string, string, string]): Launcher {
  const wrap = document.createElement('div');
  const button = document.createElement('button');
  button.type = 'button';
  button.setAttribute('aria-controls', 'ld-panel');
  button.className = 'b';
  const glyph = document.createElement('span');
  glyph.setAttribute('aria-hidden', 'true');
  const badge = document.createElement('span');
  badge.className = 'n';
  badge.hidden = true;
  badge.setAttribute('aria-hidden', 'true');
  button.append(glyph, badge);
  wrap.append(button);
  root.append(wrap);

  let state: 'closed' | 'open' | 'loading' = 'closed';
  let unread = 0;
  const label = () => {
    const base = state === 'open' ? labels[1] : labels[0];
    button.setAttribute('aria-label', unread && state !== 'open' ? `${base} (${unread} ${labels[2]})` : base);
  };
  return {
    button,
    setState(next) {
      state = next;
      glyph.innerHTML = next === 'open' ? CLOSE_ICON : next === 'loading' ? SPINNER : CHAT_ICON;
      button.setAttribute('aria-expanded', String(next === 'open'));
      button.setAttribute('aria-busy', String(next === 'loading'));
      label();
    },
    setBadge(count) {
      unread = count;
      badge.textContent = count > 9 ? '9+' : String(count);
      badge.hidden = count === 0;
      label();
    },
    setPosition(position) {
      // Class names are short on purpose (see styles/loader.css): w = wrapper, l = left side.
      wrap.className = position === 'bottom-left' ? 'w l' : 'w';
    },
  };
}

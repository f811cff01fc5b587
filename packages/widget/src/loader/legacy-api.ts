/**
 * The platform-named API from before the neutral one: the `<leaddesk-widget>`
 * element, `window.LeadDesk` (the same object as `window.ChatWidget`) and the
 * `leaddesk:ready` event. Deprecated; built only into `loader.legacy.js`, which
 * the server sends for `/widget/loader.js` on its own host when the deployment
 * is not white-labelled (WIDGET_LEGACY_API), so embeds written against these
 * names keep working there while a brand's site never receives them
 * (docs/white-label.md). The neutral loader.js never includes this module.
 */
export const LEGACY_ELEMENT_NAME = 'leaddesk-widget';
export const LEGACY_READY_EVENT = 'leaddesk:ready';

export function installLegacyGlobal(api: NonNullable<Window['ChatWidget']>): void {
  window.LeadDesk = api;
}

// Drives the widget from the host page once loader.js has installed window.LeadDesk.
function wire() {
  document.getElementById('book').addEventListener('click', () => window.LeadDesk.open());
  window.LeadDesk.on('message', (message) => console.log('[demo] new message', message.role, message.content));
}
if (window.LeadDesk) wire();
else window.addEventListener('leaddesk:ready', wire, { once: true });

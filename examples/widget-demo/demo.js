// Drives the widget from the host page once loader.js has installed window.ChatWidget.
function wire() {
  document.getElementById('book').addEventListener('click', () => window.ChatWidget.open());
  window.ChatWidget.on('message', (message) => console.log('[demo] new message', message.role, message.content));
}
if (window.ChatWidget) wire();
else window.addEventListener('chatwidget:ready', wire, { once: true });

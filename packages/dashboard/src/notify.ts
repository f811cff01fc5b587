/**
 * Desktop notifications (Notification API) and an optional sound for
 * escalations and hot leads. The sound is a short tone from Web Audio, so no
 * audio file ships with the dashboard.
 */
const SOUND_KEY = 'ld.sound';

export const notifications = {
  get supported() {
    return typeof window !== 'undefined' && 'Notification' in window;
  },
  get permission(): NotificationPermission | 'unsupported' {
    return this.supported ? Notification.permission : 'unsupported';
  },
  async request() {
    if (this.supported && Notification.permission === 'default') await Notification.requestPermission();
  },
  get sound() {
    return localStorage.getItem(SOUND_KEY) === 'on';
  },
  set sound(on: boolean) {
    localStorage.setItem(SOUND_KEY, on ? 'on' : 'off');
  },
  show(title: string, body: string, onClick?: () => void) {
    if (this.sound) beep();
    if (!this.supported || Notification.permission !== 'granted') return;
    const n = new Notification(title, { body, tag: `${title}:${body}`.slice(0, 64) });
    if (onClick)
      n.onclick = () => {
        window.focus();
        onClick();
      };
  },
};

function beep() {
  try {
    const ctx = new AudioContext();
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.frequency.value = 880;
    gain.gain.setValueAtTime(0.15, ctx.currentTime);
    gain.gain.exponentialRampToValueAtTime(0.001, ctx.currentTime + 0.35);
    osc.connect(gain).connect(ctx.destination);
    osc.start();
    osc.stop(ctx.currentTime + 0.35);
  } catch {
    // No audio device: the notification is enough.
  }
}

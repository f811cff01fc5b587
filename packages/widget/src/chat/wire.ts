/**
 * The widget's Socket.IO client: the part of the Socket.IO v5 / Engine.IO v4
 * wire protocol the chat uses, over a browser WebSocket, in ~2 KB.
 *
 * Why not socket.io-client: with WebSocket only, no binary and one namespace,
 * it still weighs ~10 KB brotli (the manager, upgrade probing, binary
 * packing, buffering, retries) — 40% of the chat bundle, and the difference
 * between meeting the widget's 25 KB budget or not. The server is the real
 * Socket.IO; only the browser side is this file. Its typed surface is
 * socket.io-client's own `Socket` type (a type import, nothing bundled), so
 * session.ts reads as before.
 *
 * What it does, as socket.io-client would for this use:
 * - Engine.IO: `0` open (pingInterval/pingTimeout), answers each `2` ping
 *   with `3` pong, treats a silent server (no ping in interval + timeout) as
 *   gone; `1` close.
 * - Socket.IO, in `4` messages: `0/ns,{auth}` connect → `0/ns,{sid}` or
 *   `4/ns,{message,data}` (connect_error: no automatic retry, `active` false,
 *   as socket.io-client); `2/ns,[id][event,...]` events, `3/ns,id[...]` acks;
 *   `1/ns,` server disconnect (`io server disconnect`, no automatic retry).
 * - Reconnection after a transport loss with exponential backoff and full
 *   jitter (`backoffDelay`), a fresh `auth` on every attempt; `connect_error`
 *   for each failed attempt.
 * - `timeout(ms).emit(..., cb)` and `.emitWithAck(...)`: the callback gets an
 *   error when no ack came in time or the connection dropped first. Emits
 *   while disconnected are not buffered (the session keeps its own outbox).
 */
import type { Socket } from 'socket.io-client';

export interface WireOptions {
  /** Called before every connection attempt; its value is the handshake's `auth`. */
  auth: (cb: (data: object) => void) => void;
  /** @default 500 */
  reconnectionDelay?: number;
  /** @default 8000 */
  reconnectionDelayMax?: number;
}

/**
 * The wait before reconnection attempt `attempt` (from 0): full jitter, a uniform draw below base·2^attempt
 * capped at `max`. Widgets a draining or restarted server dropped together come back spread over the
 * window instead of in waves at the same instants.
 */
export function backoffDelay(attempt: number, base: number, max: number, random = Math.random): number {
  return Math.floor(random() * Math.min(max, base * 2 ** attempt));
}

type Listener = (...args: never[]) => void;
type Ack = (err: Error | null, ...args: unknown[]) => void;

/** `http://host:port/widget` → the WebSocket URL of the Socket.IO endpoint, and the namespace. */
function endpoint(url: string): { ws: string; ns: string } {
  const u = new URL(url);
  return {
    ws: `${u.protocol === 'https:' ? 'wss' : 'ws'}://${u.host}/socket.io/?EIO=4&transport=websocket`,
    ns: u.pathname === '/' ? '' : u.pathname,
  };
}

export function connectSocket<S extends Socket>(url: string, options: WireOptions): S {
  const { ws: wsUrl, ns } = endpoint(url);
  const prefix = ns ? `${ns},` : '';
  const listeners = new Map<string, Set<Listener>>();
  const acks = new Map<number, Ack>();
  let ws: WebSocket | null = null;
  let nextAckId = 0;
  let attempts = 0;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let aliveTimer: ReturnType<typeof setTimeout> | undefined;
  let heartbeat = 45_000;

  const fire = (event: string, ...args: unknown[]) => {
    for (const fn of [...(listeners.get(event) ?? [])]) (fn as (...a: unknown[]) => void)(...args);
  };
  const failAcks = (reason: string) => {
    for (const [id, ack] of acks) {
      acks.delete(id);
      ack(new Error(reason));
    }
  };

  const api = {
    connected: false,
    /** False after a refused connect, a server disconnect or disconnect(): no automatic retry then. */
    active: false,
    on(event: string, fn: Listener) {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(fn);
      return api;
    },
    off(event: string, fn: Listener) {
      listeners.get(event)?.delete(fn);
      return api;
    },
    connect() {
      if (api.active) return api;
      api.active = true;
      open();
      return api;
    },
    disconnect() {
      const was = api.connected;
      api.active = false;
      if (ws?.readyState === WebSocket.OPEN && was) ws.send(`41${prefix}`);
      teardown();
      if (was) {
        api.connected = false;
        failAcks('disconnected');
        fire('disconnect', 'io client disconnect');
      }
      return api;
    },
    emit(event: string, ...args: unknown[]) {
      send(event, args, typeof args.at(-1) === 'function' ? (args.pop() as Ack) : undefined, 0);
      return api;
    },
    timeout(ms: number) {
      return {
        emit(event: string, ...args: unknown[]) {
          const cb = args.pop() as Ack;
          send(event, args, cb, ms);
        },
        emitWithAck(event: string, ...args: unknown[]) {
          return new Promise((resolve, reject) =>
            send(event, args, (err, res) => (err ? reject(err) : resolve(res)), ms),
          );
        },
      };
    },
  };

  function send(event: string, args: unknown[], ack: Ack | undefined, timeoutMs: number) {
    if (!api.connected || !ws) {
      // Not buffered: the caller's outbox resends on the next `connect`.
      if (ack && timeoutMs) ack(new Error('not connected'));
      return;
    }
    let id = '';
    if (ack) {
      const ackId = nextAckId++;
      id = String(ackId);
      let timer: ReturnType<typeof setTimeout> | undefined;
      // A plain `emit(..., cb)` gets only the server's arguments; `timeout()` callers get (err, ...).
      acks.set(ackId, (err, ...res) => {
        clearTimeout(timer);
        if (timeoutMs) ack(err, ...res);
        else if (!err) (ack as (...a: unknown[]) => void)(...res);
      });
      if (timeoutMs) {
        timer = setTimeout(() => {
          acks.delete(ackId);
          ack(new Error('operation has timed out'));
        }, timeoutMs);
      }
    }
    ws.send(`42${prefix}${id}${JSON.stringify([event, ...args])}`);
  }

  function alive() {
    clearTimeout(aliveTimer);
    aliveTimer = setTimeout(() => lost('ping timeout'), heartbeat);
  }

  function teardown() {
    clearTimeout(retryTimer);
    clearTimeout(aliveTimer);
    if (ws) {
      ws.onopen = ws.onmessage = ws.onclose = ws.onerror = null;
      ws.close();
      ws = null;
    }
  }

  /** The transport failed or went silent: report it and come back with backoff. */
  function lost(reason: string) {
    const was = api.connected;
    teardown();
    api.connected = false;
    if (was) {
      failAcks(reason);
      fire('disconnect', reason);
    } else fire('connect_error', new Error(reason));
    if (!api.active) return;
    retryTimer = setTimeout(
      open,
      backoffDelay(attempts++, options.reconnectionDelay ?? 500, options.reconnectionDelayMax ?? 8000),
    );
  }

  function open() {
    teardown();
    const socket = new WebSocket(wsUrl);
    ws = socket;
    socket.onclose = () => lost('transport close');
    socket.onerror = () => lost('websocket error');
    socket.onmessage = ({ data }) => {
      if (typeof data !== 'string') return;
      const type = data[0];
      if (type === '0') {
        const { pingInterval, pingTimeout } = JSON.parse(data.slice(1)) as {
          pingInterval: number;
          pingTimeout: number;
        };
        heartbeat = pingInterval + pingTimeout;
        alive();
        options.auth((auth) => socket.send(`40${prefix}${JSON.stringify(auth)}`));
      } else if (type === '2') {
        alive();
        socket.send('3');
      } else if (type === '1') lost('transport close');
      else if (type === '4') packet(data.slice(1));
    };
  }

  /** One Socket.IO packet: type digit, `/ns,` when not the main namespace, optional ack id, JSON. */
  function packet(text: string) {
    const type = text[0];
    let rest = text.slice(1);
    if (prefix) {
      if (!rest.startsWith(prefix)) return;
      rest = rest.slice(prefix.length);
    }
    const digits = /^\d*/.exec(rest)![0];
    const body = rest.slice(digits.length);
    const data = body ? JSON.parse(body) : undefined;
    if (type === '0') {
      attempts = 0;
      api.connected = true;
      fire('connect');
    } else if (type === '4') {
      // Refused by the namespace's middleware: as socket.io-client, no automatic retry.
      api.active = false;
      teardown();
      fire('connect_error', Object.assign(new Error(data?.message ?? 'connect_error'), { data: data?.data }));
    } else if (type === '1') {
      api.active = false;
      api.connected = false;
      teardown();
      failAcks('io server disconnect');
      fire('disconnect', 'io server disconnect');
    } else if (type === '2' && Array.isArray(data)) {
      const [event, ...args] = data as [string, ...unknown[]];
      if (digits) {
        args.push((...res: unknown[]) => ws?.send(`43${prefix}${digits}${JSON.stringify(res)}`));
      }
      fire(event, ...args);
    } else if (type === '3' && Array.isArray(data)) {
      const ack = acks.get(Number(digits));
      acks.delete(Number(digits));
      ack?.(null, ...(data as unknown[]));
    }
  }

  api.connect();
  return api as unknown as S;
}

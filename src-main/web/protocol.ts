// The WebSocket face of the contract (web mode, `pocket-dhcp serve --web`). Types and constants
// only — the renderer imports this file too.
//
//   client → server   { type: 'auth', token }                       first message, within AUTH_TIMEOUT_MS
//   server → client   { type: 'auth-ok' }
//   client → server   { type: 'call', id, name, payload }           any contract call
//   server → client   { type: 'result', id, result: WireResult }
//   server → client   { type: 'event', name, payload }              after this connection called app.ready
//
// A wrong or missing token, a foreign Origin, a malformed message or one larger than
// MAX_MESSAGE_BYTES closes the connection (codes below). The token comes from the URL the server
// prints: http://127.0.0.1:8080/#token=… (a fragment, so it never reaches a server log or a Referer).
import type { CallName, EventName, WireResult } from '../ipc/contract.js';

export const WS_PATH = '/api';
export const MAX_MESSAGE_BYTES = 1024 * 1024;
export const AUTH_TIMEOUT_MS = 5000;

export const CLOSE = {
  /** RFC 6455 §7.4.1: policy violation — bad token, no auth, malformed message. */
  POLICY: 1008,
  /** Message too big (ws closes with it by itself when maxPayload is exceeded). */
  TOO_BIG: 1009,
  /** The client does not read its events fast enough; reconnect. */
  TRY_AGAIN_LATER: 1013,
  /** Server shutting down. */
  GOING_AWAY: 1001,
} as const;

export type CallId = number | string;

export type ClientMessage = { type: 'auth'; token: string } | { type: 'call'; id: CallId; name: CallName; payload?: unknown };

export type ServerMessage =
  | { type: 'auth-ok' }
  | { type: 'result'; id: CallId; result: WireResult<unknown> }
  | { type: 'event'; name: EventName; payload: unknown };

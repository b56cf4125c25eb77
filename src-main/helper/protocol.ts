// The privileged helper's wire protocol: the contract's calls and events as JSON lines over the
// helper's stdin/stdout (one UTF-8 JSON object per line, "\n"-terminated). The same calls, payloads
// and WireResults as Electron IPC and the WebSocket — only the framing differs:
//
//   helper → main   {"type":"hello","protocol":1,"version":"0.1.0","pid":4242,"uid":0,"dataDir":"…"}   once, first
//   main → helper   {"type":"call","id":7,"name":"server.start","payload":null}
//   helper → main   {"type":"result","id":7,"result":{"ok":true,"value":{…}}}
//   helper → main   {"type":"event","name":"status","payload":{…}}                               any time after hello
//
// Every call line is validated here (shape) and by the dispatcher (name + payload schema); a line
// that is not a call — not JSON, too long, wrong shape — gets a result with ok:false and the id if
// one could be read (else null), and the helper carries on. Closing the helper's stdin stops it
// (the server stops, the lease store closes); that is also what happens when the app dies.
import type { CallName, EventName, WireResult } from '../ipc/contract.js';

export const HELPER_PROTOCOL = 1;
/** Larger than any legitimate message (a settings draft is ≤ 512 KiB, a lease table ≤ a few MiB). */
export const MAX_LINE_BYTES = 16 * 1024 * 1024;

export type CallId = number | string;

export interface HelloMessage {
  type: 'hello';
  protocol: number;
  version: string;
  pid: number;
  uid: number | null;
  dataDir: string;
}

export type HelperInbound = { type: 'call'; id: CallId; name: CallName | string; payload?: unknown };
export type HelperOutbound = HelloMessage | { type: 'result'; id: CallId | null; result: WireResult<unknown> } | { type: 'event'; name: EventName; payload: unknown };

export function encodeMessage(m: HelperOutbound | HelperInbound): string {
  return `${JSON.stringify(m)}\n`;
}

/**
 * Splits a byte stream into lines. Bounded: a line longer than `maxBytes` is reported once as
 * `{ tooLong: bytes }` and skipped up to its newline, never buffered whole.
 */
export class LineDecoder {
  private parts: Buffer[] = [];
  private size = 0;
  private skipping = false;
  private skipped = 0;

  constructor(private readonly maxBytes = MAX_LINE_BYTES) {}

  push(chunk: Buffer | string): Array<{ line: string } | { tooLong: number }> {
    const out: Array<{ line: string } | { tooLong: number }> = [];
    let buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    while (buf.length > 0) {
      const nl = buf.indexOf(0x0a);
      const piece = nl < 0 ? buf : buf.subarray(0, nl);
      if (this.skipping) {
        this.skipped += piece.length;
      } else if (this.size + piece.length > this.maxBytes) {
        this.skipping = true;
        this.skipped = this.size + piece.length;
        this.parts = [];
        this.size = 0;
      } else {
        this.parts.push(piece);
        this.size += piece.length;
      }
      if (nl < 0) break;
      if (this.skipping) {
        out.push({ tooLong: this.skipped });
        this.skipping = false;
        this.skipped = 0;
      } else {
        const line = Buffer.concat(this.parts, this.size).toString('utf8').replace(/\r$/, '');
        this.parts = [];
        this.size = 0;
        if (line.trim() !== '') out.push({ line });
      }
      buf = buf.subarray(nl + 1);
    }
    return out;
  }

  /** Bytes of an unfinished line (what is lost if the stream ends now). */
  get pending(): number {
    return this.size + this.skipped;
  }
}

function isId(x: unknown): x is CallId {
  return (typeof x === 'number' && Number.isSafeInteger(x)) || (typeof x === 'string' && x.length > 0 && x.length <= 64);
}

const shorten = (s: string) => (s.length > 80 ? `${s.slice(0, 77)}…` : s);

/** A line from main: a call, or the error result to send back for it. */
export function parseCallLine(line: string): { ok: true; call: HelperInbound } | { ok: false; id: CallId | null; error: string } {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return { ok: false, id: null, error: `malformed line (not JSON): ${shorten(line)}` };
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) return { ok: false, id: null, error: 'malformed line: expected a JSON object' };
  const m = v as Record<string, unknown>;
  const id = isId(m.id) ? m.id : null;
  if (m.type !== 'call') return { ok: false, id, error: `malformed line: "type" must be "call"` };
  if (id === null) return { ok: false, id: null, error: 'malformed call: "id" must be an integer or a short string' };
  if (typeof m.name !== 'string') return { ok: false, id, error: 'malformed call: "name" must be a string' };
  for (const k of Object.keys(m)) if (k !== 'type' && k !== 'id' && k !== 'name' && k !== 'payload') return { ok: false, id, error: `malformed call: unknown field "${shorten(k)}"` };
  return { ok: true, call: { type: 'call', id, name: m.name, ...(m.payload !== undefined ? { payload: m.payload } : {}) } };
}

/** A line from the helper, or undefined for anything that is not one of its messages. */
export function parseHelperLine(line: string): HelperOutbound | undefined {
  if (!line.startsWith('{')) return undefined;
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return undefined;
  }
  const m = v as Record<string, unknown> | null;
  if (!m || typeof m !== 'object') return undefined;
  if (m.type === 'hello' && typeof m.protocol === 'number' && typeof m.pid === 'number') return m as unknown as HelloMessage;
  if (m.type === 'result' && (m.id === null || isId(m.id)) && m.result && typeof m.result === 'object' && typeof (m.result as { ok?: unknown }).ok === 'boolean') return m as unknown as HelperOutbound;
  if (m.type === 'event' && typeof m.name === 'string') return m as unknown as HelperOutbound;
  return undefined;
}

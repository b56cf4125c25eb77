// A WebSocket client of web mode for tests that cannot reach the server directly (it runs inside a
// network namespace): connects to the URL given as argv[2] (…/#token=…), authenticates, sends
// every stdin line {id, name, payload} as a call, and prints every server message as one JSON
// line on stdout with the time it arrived: {"at": ms, "msg": {...}}. Exits when the socket closes.
import { createInterface } from 'node:readline';
import WebSocket from 'ws';

const target = new URL(process.argv[2] ?? '');
const token = new URLSearchParams(target.hash.slice(1)).get('token') ?? '';
const ws = new WebSocket(`ws://${target.host}/api`, { origin: target.origin });
const out = (msg: unknown) => process.stdout.write(`${JSON.stringify({ at: Date.now(), msg })}\n`);

ws.on('open', () => {
  ws.send(JSON.stringify({ type: 'auth', token }));
  createInterface({ input: process.stdin }).on('line', (line) => {
    if (!line.trim()) return;
    const { id, name, payload } = JSON.parse(line) as { id: number; name: string; payload?: unknown };
    ws.send(JSON.stringify({ type: 'call', id, name, payload: payload ?? null }));
  });
});
ws.on('message', (data) => out(JSON.parse(data.toString())));
ws.on('close', (code, reason) => {
  out({ type: 'closed', code, reason: reason.toString() });
  process.exit(0);
});
ws.on('error', (e) => {
  out({ type: 'error', message: e.message });
  process.exit(1);
});
setTimeout(() => process.exit(2), 120_000).unref(); // bounded, whatever happens

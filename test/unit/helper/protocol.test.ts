// The helper's framing: JSON lines, bounded, never confused by chunk boundaries (inside a line or
// inside a multi-byte character), and every malformed line answered with an error, not a crash.
import { describe, expect, it } from 'vitest';
import { encodeMessage, LineDecoder, parseCallLine, parseHelperLine } from '../../../src-main/helper/protocol.js';

const lines = (out: ReturnType<LineDecoder['push']>) => out.map((x) => ('line' in x ? x.line : `<too long ${x.tooLong}>`));

describe('LineDecoder', () => {
  it('splits on \\n across chunks, drops \\r and blank lines', () => {
    const d = new LineDecoder();
    expect(lines(d.push('{"a":1}\n{"b"'))).toEqual(['{"a":1}']);
    expect(d.pending).toBe(4);
    expect(lines(d.push(':2}\r\n\n\n{"c":3}\n'))).toEqual(['{"b":2}', '{"c":3}']);
    expect(d.pending).toBe(0);
  });

  it('a UTF-8 character split between chunks arrives whole', () => {
    const d = new LineDecoder();
    const bytes = Buffer.from('{"name":"Ethernet – €"}\n', 'utf8');
    const cut = bytes.indexOf(0xe2) + 1; // inside "–"
    expect(lines(d.push(bytes.subarray(0, cut)))).toEqual([]);
    expect(lines(d.push(bytes.subarray(cut)))).toEqual(['{"name":"Ethernet – €"}']);
  });

  it('a line over the limit is reported once and skipped, never buffered; the next line is fine', () => {
    const d = new LineDecoder(16);
    expect(lines(d.push('x'.repeat(10)))).toEqual([]);
    expect(lines(d.push('y'.repeat(10)))).toEqual([]);
    expect(d.pending).toBe(20);
    expect(lines(d.push(`${'z'.repeat(100)}\n{"ok":1}\n`))).toEqual(['<too long 120>', '{"ok":1}']);
    expect(d.pending).toBe(0);
  });
});

describe('call lines (main → helper)', () => {
  it('accepts calls; keeps the id for errors when it can read one', () => {
    expect(parseCallLine('{"type":"call","id":7,"name":"server.status","payload":null}')).toEqual({ ok: true, call: { type: 'call', id: 7, name: 'server.status', payload: null } });
    expect(parseCallLine('{"type":"call","id":"a1","name":"settings.get"}')).toEqual({ ok: true, call: { type: 'call', id: 'a1', name: 'settings.get' } });
    expect(parseCallLine('not json')).toEqual({ ok: false, id: null, error: 'malformed line (not JSON): not json' });
    expect(parseCallLine('[1,2]')).toMatchObject({ ok: false, id: null });
    expect(parseCallLine('{"type":"event","id":3}')).toMatchObject({ ok: false, id: 3, error: expect.stringMatching(/"type" must be "call"/) });
    expect(parseCallLine('{"type":"call","id":1.5,"name":"x"}')).toMatchObject({ ok: false, id: null });
    expect(parseCallLine('{"type":"call","id":4,"name":5}')).toMatchObject({ ok: false, id: 4 });
    expect(parseCallLine('{"type":"call","id":4,"name":"x","sudo":true}')).toMatchObject({ ok: false, id: 4, error: expect.stringMatching(/unknown field "sudo"/) });
    expect(parseCallLine(`{"type":"call","id":"${'i'.repeat(65)}","name":"x"}`)).toMatchObject({ ok: false, id: null });
  });
});

describe('helper lines (helper → main)', () => {
  it('hello, results and events; anything else is not protocol (stray output is ignored)', () => {
    const hello = { type: 'hello', protocol: 1, version: '0.1.0', pid: 42, uid: 0, dataDir: '/d' } as const;
    expect(parseHelperLine(encodeMessage(hello).trim())).toEqual(hello);
    expect(parseHelperLine('{"type":"result","id":7,"result":{"ok":true,"value":1}}')).toEqual({ type: 'result', id: 7, result: { ok: true, value: 1 } });
    expect(parseHelperLine('{"type":"result","id":null,"result":{"ok":false,"error":{"code":"invalid-request","message":"x"}}}')).toMatchObject({ id: null });
    expect(parseHelperLine('{"type":"event","name":"status","payload":{}}')).toEqual({ type: 'event', name: 'status', payload: {} });
    for (const junk of ['(node:1) Warning: something', '{"type":"result","id":1}', '{"type":"nope"}', '{broken']) expect(parseHelperLine(junk), junk).toBeUndefined();
    expect(encodeMessage({ type: 'call', id: 1, name: 'a' }).endsWith('\n')).toBe(true);
  });
});

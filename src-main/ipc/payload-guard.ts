// The first check on every call's payload, before its schema (contract.ts) and for every transport
// (Electron IPC, WebSocket): plain JSON-like data only, bounded in size and depth, and no key that
// could reach an object's prototype (__proto__, constructor, prototype) anywhere in it. The schemas
// reject most of this on their own (strict objects refuse unknown keys); this gate makes it hold for
// every call, including fields typed as free-form records, whatever a schema forgets.
//
// IPC has no message size limit of its own (the WebSocket has ws maxPayload, web/protocol.ts), so the
// size is bounded here: the largest legitimate field is file.save's content (64 MiB, contract.ts).

/** Above the largest legitimate payload (file.save content ≤ 64 MiB) with room for its other fields. */
export const MAX_CALL_PAYLOAD_BYTES = 65 * 1024 * 1024;
/** Deeper than any request the renderer builds (a config draft is ~5 levels). */
export const MAX_CALL_PAYLOAD_DEPTH = 32;

export const FORBIDDEN_PAYLOAD_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

function isPlainObject(v: object): boolean {
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * Why `payload` may not be passed on, as the end of a sentence ("contains the forbidden key
 * "__proto__" at draft.subnets.0"), or undefined when it is fine. Walks the value once, iteratively,
 * stopping at the first problem; the size counted is roughly its JSON length.
 */
export function payloadProblem(payload: unknown, maxBytes = MAX_CALL_PAYLOAD_BYTES, maxDepth = MAX_CALL_PAYLOAD_DEPTH): string | undefined {
  let bytes = 0;
  const stack: Array<{ v: unknown; path: string; depth: number }> = [{ v: payload, path: '', depth: 0 }];
  const seen = new Set<object>();
  while (stack.length) {
    const { v, path, depth } = stack.pop()!;
    const at = path ? ` at ${path}` : '';
    switch (typeof v) {
      case 'string':
        bytes += v.length + 2;
        break;
      case 'number':
        if (!Number.isFinite(v)) return `contains a number that is not finite${at}`;
        bytes += 8;
        break;
      case 'boolean':
      case 'undefined':
        bytes += 5;
        break;
      case 'object': {
        bytes += 4;
        if (v === null) break;
        if (depth >= maxDepth) return `is nested more than ${maxDepth} levels deep${at}`;
        if (seen.has(v)) return `refers to itself${at}`;
        seen.add(v);
        if (Array.isArray(v)) {
          for (let i = v.length - 1; i >= 0; i--) stack.push({ v: v[i], path: path ? `${path}.${i}` : String(i), depth: depth + 1 });
          bytes += v.length;
          break;
        }
        if (!isPlainObject(v)) return `contains a value that is not plain JSON (${Object.prototype.toString.call(v).slice(8, -1)})${at}`;
        for (const k of Object.keys(v)) {
          if (FORBIDDEN_PAYLOAD_KEYS.has(k)) return `contains the forbidden key "${k}"${at}`;
          bytes += k.length + 4;
          stack.push({ v: (v as Record<string, unknown>)[k], path: path ? `${path}.${k}` : k, depth: depth + 1 });
        }
        break;
      }
      default:
        return `contains a ${typeof v}, which is not JSON${at}`;
    }
    if (bytes > maxBytes) return `is larger than ${Math.round(maxBytes / (1024 * 1024))} MiB`;
  }
  return undefined;
}

// The shared config schema and option table (src-main/config, src-main/dhcp) are pure TypeScript,
// but a few of their helpers use Node's Buffer for hex, Latin-1 and UTF-8 conversions. The
// renderer reuses that code for live validation, so it gets the small subset of Buffer those
// helpers call — `Buffer.from(string, 'hex' | 'utf8' | 'latin1')`, `Buffer.from(arrayBuffer,
// offset, length)` and `.toString('hex' | 'latin1' | 'utf8')` — and nothing more. Installed only
// where no real Buffer exists (never in Node, so tests exercise the real one and this one apart).

type Encoding = 'hex' | 'utf8' | 'utf-8' | 'latin1' | 'binary';

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8');

/** Bytes that print themselves like a Buffer (hex, latin1, utf8). */
export class ShimBytes extends Uint8Array {
  override toString(encoding: Encoding = 'utf8'): string {
    switch (encoding) {
      case 'hex': {
        let out = '';
        for (const b of this) out += b.toString(16).padStart(2, '0');
        return out;
      }
      case 'latin1':
      case 'binary': {
        let out = '';
        for (const b of this) out += String.fromCharCode(b);
        return out;
      }
      default:
        return utf8Decoder.decode(this);
    }
  }
}

function fromString(text: string, encoding: Encoding): ShimBytes {
  switch (encoding) {
    case 'hex': {
      // Like Node: stops at the first pair that is not hex (callers validate before converting).
      const n = Math.floor(text.length / 2);
      const out = new ShimBytes(n);
      let i = 0;
      for (; i < n; i++) {
        const pair = text.slice(i * 2, i * 2 + 2);
        if (!/^[0-9a-fA-F]{2}$/.test(pair)) break;
        out[i] = Number.parseInt(pair, 16);
      }
      return i === n ? out : out.slice(0, i);
    }
    case 'latin1':
    case 'binary': {
      const out = new ShimBytes(text.length);
      for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i) & 0xff;
      return out;
    }
    default: {
      const bytes = utf8Encoder.encode(text);
      const out = new ShimBytes(bytes.length);
      out.set(bytes);
      return out;
    }
  }
}

export const MiniBuffer = {
  from(value: string | ArrayBufferLike | ArrayLike<number>, encodingOrOffset?: Encoding | number, length?: number): ShimBytes {
    if (typeof value === 'string') return fromString(value, (encodingOrOffset as Encoding | undefined) ?? 'utf8');
    if (value instanceof ArrayBuffer || (typeof SharedArrayBuffer !== 'undefined' && value instanceof SharedArrayBuffer)) {
      const offset = typeof encodingOrOffset === 'number' ? encodingOrOffset : 0;
      return new ShimBytes(value as ArrayBuffer, offset, length ?? value.byteLength - offset);
    }
    const bytes = Array.from(value as ArrayLike<number>);
    const out = new ShimBytes(bytes.length);
    out.set(bytes);
    return out;
  },
  byteLength(text: string): number {
    return utf8Encoder.encode(text).length;
  },
  isBuffer(x: unknown): boolean {
    return x instanceof ShimBytes;
  },
};

/** Installs MiniBuffer as globalThis.Buffer unless a real Buffer is present. */
export function installBufferShim(target: Record<string, unknown> = globalThis as unknown as Record<string, unknown>): void {
  if (typeof target.Buffer === 'undefined') target.Buffer = MiniBuffer;
}

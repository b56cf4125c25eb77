// A small JSON reader that remembers on which line every object and array starts, so that an
// import can say "line 14: … is not a MAC address" about the 7th reservation of a file. JSON.parse
// forgets positions. Optionally accepts the comments Kea's configuration parser allows (#, //, /* */).

export class JsonSyntaxError extends Error {
  override name = 'JsonSyntaxError';
  constructor(
    readonly line: number,
    readonly column: number,
    detail: string,
  ) {
    super(`line ${line}, column ${column}: ${detail}`);
  }
}

export interface JsonWithLines {
  value: unknown;
  /** Line (1-based) where an object or array of `value` starts; undefined for primitives. */
  lineOf(node: unknown): number | undefined;
}

export function parseJsonWithLines(input: string, opts: { comments?: boolean } = {}): JsonWithLines {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const lines = new WeakMap<object, number>();
  let pos = 0;
  let line = 1;
  let lineStart = 0;

  const fail = (detail: string): never => {
    throw new JsonSyntaxError(line, pos - lineStart + 1, detail);
  };
  const advance = (): void => {
    const c = text.charCodeAt(pos++);
    if (c === 10) {
      line++;
      lineStart = pos;
    }
  };
  const skip = (): void => {
    for (;;) {
      const c = text[pos];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') advance();
      else if (opts.comments && (c === '#' || (c === '/' && text[pos + 1] === '/'))) {
        while (pos < text.length && text[pos] !== '\n') pos++;
      } else if (opts.comments && c === '/' && text[pos + 1] === '*') {
        advance();
        advance();
        while (pos < text.length && !(text[pos] === '*' && text[pos + 1] === '/')) advance();
        if (pos >= text.length) fail('unterminated /* comment');
        advance();
        advance();
      } else return;
    }
  };
  const describe = (): string => (pos >= text.length ? 'the end of the text' : `"${text[pos]}"`);

  const parseString = (): string => {
    advance(); // opening quote
    let out = '';
    for (;;) {
      if (pos >= text.length) fail('unterminated string');
      const c = text[pos]!;
      if (c === '"') {
        advance();
        return out;
      }
      if (c === '\n') fail('line break inside a string');
      if (c === '\\') {
        advance();
        const e = text[pos];
        const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (e !== undefined && simple[e] !== undefined) {
          out += simple[e];
          advance();
        } else if (e === 'u') {
          const hex = text.slice(pos + 1, pos + 5);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('bad \\u escape');
          out += String.fromCharCode(parseInt(hex, 16));
          for (let i = 0; i < 5; i++) advance();
        } else fail(`bad escape \\${e ?? ''}`);
        continue;
      }
      out += c;
      advance();
    }
  };

  const parseValue = (depth: number): unknown => {
    if (depth > 64) fail('nested too deeply');
    skip();
    const c = text[pos];
    const at = line;
    if (c === '{') {
      advance();
      const obj: Record<string, unknown> = {};
      lines.set(obj, at);
      skip();
      if (text[pos] === '}') {
        advance();
        return obj;
      }
      for (;;) {
        skip();
        if (text[pos] !== '"') fail(`expected a "key" but found ${describe()}`);
        const key = parseString();
        skip();
        if (text[pos] !== ':') fail(`expected ":" after "${key}" but found ${describe()}`);
        advance();
        const v = parseValue(depth + 1);
        // Never let a key reach the prototype: "__proto__" becomes an own property.
        Object.defineProperty(obj, key, { value: v, enumerable: true, writable: true, configurable: true });
        skip();
        if (text[pos] === ',') {
          advance();
          continue;
        }
        if (text[pos] === '}') {
          advance();
          return obj;
        }
        fail(`expected "," or "}" but found ${describe()}`);
      }
    }
    if (c === '[') {
      advance();
      const arr: unknown[] = [];
      lines.set(arr, at);
      skip();
      if (text[pos] === ']') {
        advance();
        return arr;
      }
      for (;;) {
        arr.push(parseValue(depth + 1));
        skip();
        if (text[pos] === ',') {
          advance();
          continue;
        }
        if (text[pos] === ']') {
          advance();
          return arr;
        }
        fail(`expected "," or "]" but found ${describe()}`);
      }
    }
    if (c === '"') return parseString();
    const m = /^(-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?|true|false|null)/.exec(text.slice(pos, pos + 64));
    if (!m) fail(`unexpected ${describe()}`);
    for (let i = 0; i < m![0].length; i++) advance();
    const w = m![0];
    return w === 'true' ? true : w === 'false' ? false : w === 'null' ? null : Number(w);
  };

  skip();
  if (pos >= text.length) fail('the file is empty');
  const value = parseValue(0);
  skip();
  if (pos < text.length) fail(`unexpected ${describe()} after the end of the document`);
  return { value, lineOf: (node) => (node && typeof node === 'object' ? lines.get(node) : undefined) };
}

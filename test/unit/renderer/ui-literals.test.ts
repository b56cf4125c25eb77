// "All strings in one place" (issue 8, item 7): no component under src-renderer/src/components
// carries English UI text of its own. Every user-visible text comes from the i18n catalog
// (src-renderer/src/i18n/en.ts + ko.ts) through t()/segments() inside {…} expressions.
//
// The check parses each .svelte file with the Svelte compiler and looks at what a user reads:
// markup text nodes, and the static parts of text-bearing attributes (placeholder, title,
// aria-label, alt, and text props passed to components such as label/title/hint). A word of three
// or more Latin letters there is an English literal unless it is a technical token that is the
// same in every language (the allowlist below, each with its reason).
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'svelte/compiler';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../../../src-renderer/src/components');

/** Attributes whose value a user reads (or a screen reader speaks). */
const TEXT_ATTRIBUTES = new Set(['placeholder', 'title', 'aria-label', 'aria-description', 'aria-placeholder', 'alt', 'label', 'hint', 'text', 'heading', 'summary', 'description', 'message', 'confirmlabel', 'cancellabel']);

/**
 * Words that stay as they are in Korean UI text too. Protocol and standard names (DHCP, MAC, IP,
 * DNS, ARP, PXE, TFTP, WPAD, NTP, APIPA, CSV, JSON, UEFI, BIOS, iPXE, ARM64 — never translated by
 * Korean network tools either), and product names.
 */
const ALLOWED = new Set([
  'DHCP', 'DHCPv4', 'MAC', 'IPv4', 'DNS', 'ARP', 'PXE', 'TFTP', 'WPAD', 'NTP', 'APIPA', 'CSV', 'JSON',
  'UEFI', 'BIOS', 'iPXE', 'ARM', 'Kea', 'OUI', 'TLV', 'NIC', 'USB', 'UDP', 'CIDR', 'ISC', 'dnsmasq',
  'Tftpd64', 'Pocket',
  // The language picker names each language in itself (an endonym), so a user who cannot read the
  // current language still finds theirs: "English" / "한국어".
  'English',
  // Example values in placeholders: a Windows vendor class (option 60) as devices send it, and a
  // Linux interface name (the Kea machine's interface in "Export to Kea").
  'MSFT', 'eth1',
]);

/**
 * Components not yet moved to the catalog: none since i18n phase 3 (/tmp/i18n-phase2.md). Listed by
 * name so that the list can only shrink: a new component, or new English in any other component,
 * fails this test.
 */
const NOT_YET_CONVERTED = new Set<string>([]);

interface Finding {
  file: string;
  line: number;
  text: string;
}

function svelteFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? svelteFiles(join(dir, e.name)) : e.name.endsWith('.svelte') ? [join(dir, e.name)] : [],
  );
}

function englishWords(text: string): string[] {
  // Dotted names in examples (lab.local, example.test, boot.ipxe) are data, not words.
  text = text.replace(/[\w-]+(?:\.[\w-]+)+/g, ' ');
  return (text.match(/[A-Za-z][A-Za-z0-9]{2,}/g) ?? []).filter((w) => /[A-Za-z]{3,}/.test(w) && !ALLOWED.has(w));
}

type Node = { type: string; start: number; [k: string]: unknown };

/**
 * String literals an expression renders as they are: the expression itself, either side of ?: and
 * of ||/??/&&, the parts of a template literal or a + concatenation. Arguments of calls are not
 * rendered as they are (t('log.kind'), cls('on')), so they are not text.
 */
function renderedLiterals(expr: unknown, report: (text: string, pos: number) => void): void {
  const e = expr as Node | null;
  if (!e) return;
  switch (e.type) {
    case 'Literal':
      if (typeof e.value === 'string') report(e.value, e.start);
      return;
    case 'TemplateLiteral':
      for (const q of e.quasis as Node[]) report(String((q.value as { cooked?: string }).cooked ?? ''), q.start);
      for (const x of e.expressions as Node[]) renderedLiterals(x, report);
      return;
    case 'ConditionalExpression':
      renderedLiterals(e.consequent, report);
      renderedLiterals(e.alternate, report);
      return;
    case 'LogicalExpression':
    case 'BinaryExpression':
      if (e.type === 'BinaryExpression' && e.operator !== '+') return;
      renderedLiterals(e.left, report);
      renderedLiterals(e.right, report);
      return;
  }
}

/** Finds literal English in one component's markup. */
export function literalsIn(source: string, file = 'component.svelte'): Finding[] {
  const ast = parse(source, { modern: true });
  const found: Finding[] = [];
  const lineOf = (pos: number): number => source.slice(0, pos).split('\n').length;
  const report = (text: string, pos: number): void => {
    const words = englishWords(text);
    if (words.length) found.push({ file, line: lineOf(pos), text: text.trim().slice(0, 80) });
  };
  const visit = (node: unknown, parentTag?: string): void => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      for (const n of node) visit(n, parentTag);
      return;
    }
    const n = node as Node;
    switch (n.type) {
      case 'Text':
        // Text inside <style>/<script> never reaches the fragment; <code> shows commands.
        if (parentTag !== 'code' && parentTag !== 'kbd') report(String(n.data), n.start);
        return;
      case 'Attribute': {
        const name = String(n.name).toLowerCase();
        if (!TEXT_ATTRIBUTES.has(name)) return;
        const parts = (Array.isArray(n.value) ? n.value : [n.value]) as Node[];
        for (const part of parts) {
          if (part?.type === 'Text') report(String(part.data), part.start);
          else if (part?.type === 'ExpressionTag') renderedLiterals(part.expression, report);
        }
        return;
      }
      case 'ExpressionTag':
        if (parentTag !== 'code' && parentTag !== 'kbd') renderedLiterals(n.expression, report);
        return;
      case 'Script':
      case 'StyleSheet':
      case 'StyleDirective':
      case 'ClassDirective':
        return;
    }
    const tag = n.type === 'RegularElement' ? String(n.name) : parentTag;
    for (const [key, value] of Object.entries(n)) {
      if (key === 'metadata' || key === 'instance' || key === 'module' || key === 'css' || key === 'expression') continue;
      if (value && typeof value === 'object') visit(value, tag);
    }
  };
  visit(ast.fragment);
  return found;
}

describe('English UI literals in components', () => {
  it('the scanner sees text nodes and text attributes, and ignores expressions and technical tokens', () => {
    const src = `<script>let x = 'Hidden';</script>
<p>Start the server</p>
<input placeholder="Search leases" />
<b title={t('a.b')}>{t('x.y')}</b>
<span>DHCP · MAC · 67</span>
<i>{on ? 'Serving now' : t('k')}</i>
<i aria-label={busy ? 'Busy' : label}>{fn('Not text')}</i>
<div style:transform="translateY({y}px)" class:on={x}></div>
<code>sudo ip addr add</code>
<Section label="Reservations" />
<style>.a { color: red; }</style>`;
    const got = literalsIn(src).map((f) => f.text);
    expect(got).toEqual(['Start the server', 'Search leases', 'Serving now', 'Busy', 'Reservations']);
  });

  it('no .svelte file under components contains an English UI literal', () => {
    const files = svelteFiles(ROOT).filter((f) => !NOT_YET_CONVERTED.has(relative(ROOT, f)));
    expect(files.length).toBeGreaterThan(35);
    const found = files.flatMap((f) => literalsIn(readFileSync(f, 'utf8'), relative(ROOT, f)));
    expect(found.map((f) => `${f.file}:${f.line}: ${f.text}`)).toEqual([]);
  });

  it('the not-yet-converted list names only components that exist and still have English', () => {
    for (const name of NOT_YET_CONVERTED) {
      const found = literalsIn(readFileSync(join(ROOT, name), 'utf8'), name);
      expect(found.length, `${name} has no English left: remove it from NOT_YET_CONVERTED`).toBeGreaterThan(0);
    }
  });
});

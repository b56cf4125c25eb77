// The engine's import and "Export to Kea" sentences in the UI language: a file's problems, the
// notes about what was skipped, each row's conflicts and the Kea export's notes carry their code
// and values (src-main/portability/model.ts TextCode); other languages word them from the catalog
// (import.problem.*, import.note.*, import.conflictText.*, kea.note.*). English shows the engine's
// own text, and so does any language for a sentence without a code or with a code the catalog
// does not know (a newer engine).
import type { Problem, TextCode, TextParams } from '../../../src-main/portability/model.js';
import type { Conflict } from '../../../src-main/portability/preview.js';
import { FORMAT_IDS } from '../../../src-main/portability/registry.js';
import { tEngine } from '../i18n/index.js';
import { stateLabel } from './lease-table.js';

function coded(prefix: string, code: TextCode | null | undefined, english: string): string {
  return code ? tEngine(`${prefix}.${code.code}`, english, code.params) : english;
}

/** A line problem of an import (the line number is shown apart). */
export function problemText(p: Problem): string {
  return coded('import.problem', p.code ? { code: p.code, ...(p.params ? { params: p.params } : {}) } : undefined, p.message);
}

/** The i-th note of an import preview or a Kea export (`codes` is the same-index noteCodes). */
export function noteText(kind: 'import' | 'kea', notes: readonly string[], codes: readonly (TextCode | null)[] | undefined, i: number): string {
  return coded(kind === 'import' ? 'import.note' : 'kea.note', codes?.[i], notes[i] ?? '');
}

/** A row's conflict: its kind (from its code), then the sentence with the row's values. */
export function conflictText(c: Pick<Conflict, 'code' | 'message' | 'text'>): string {
  const kind = c.code ? tEngine(`import.conflict.${c.code}`, '') : '';
  let params: TextParams | undefined = c.text?.params;
  // The lease state a sentence names is a word of the UI language too.
  if (params && typeof params.state === 'string') params = { ...params, state: stateLabel(params.state) };
  const sentence = c.text ? tEngine(`import.conflictText.${c.text.code}`, c.message, params) : c.message;
  return kind ? `${kind}: ${sentence}` : sentence;
}

/**
 * An error of import.preview: the engine's "cannot tell which format …" worded again (it names the
 * file and the format ids, which the UI knows); anything else as the engine said it.
 */
export function importErrorText(message: string, filename: string | undefined): string {
  if (!/^cannot tell which format /.test(message)) return message;
  const formats = FORMAT_IDS.join(', ');
  return filename ? tEngine('import.unknownFormat', message, { file: filename, formats }) : tEngine('import.unknownFormatText', message, { formats });
}

/** "Export to Kea" notes, each in the UI language (shown as toasts). */
export function keaNotes(r: { notes: readonly string[]; noteCodes?: readonly (TextCode | null)[] }): string[] {
  return r.notes.map((_, i) => noteText('kea', r.notes, r.noteCodes, i));
}

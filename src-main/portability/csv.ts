// CSV reading for the import formats (our CSV, Kea's lease file) through csv-parse, with the line
// number of every record so that problems can point at it.
import { parse } from 'csv-parse/sync';
import { problem, type Problem } from './model.js';

export interface CsvRow {
  /** 1-based line where the record starts. */
  line: number;
  fields: string[];
}

export type CsvResult = { ok: true; rows: CsvRow[] } | { ok: false; problem: Problem };

/**
 * Parses `text` into rows. `quote: false` for files that never quote (Kea escapes commas instead);
 * blank lines and, with `comments`, lines starting with # are skipped.
 */
export function readCsv(text: string, opts: { quote?: boolean; comments?: boolean } = {}): CsvResult {
  try {
    const records = parse(text, {
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      ...(opts.quote === false ? { quote: false } : {}),
      ...(opts.comments ? { comment: '#', comment_no_infix: true } : {}),
    }) as unknown as Array<{ info: { lines: number }; record: string[] }>;
    return {
      ok: true,
      rows: records.map(({ info, record }) => {
        // info.lines is the line the record ends on; quoted fields may span lines.
        const inner = record.reduce((n, f) => n + (f.match(/\n/g)?.length ?? 0), 0);
        return { line: info.lines - inner, fields: record.map((f) => f.replace(/\r$/, '')) };
      }),
    };
  } catch (e) {
    const err = e as { lines?: number; message?: string };
    const line = err.lines ?? 1;
    if (/^Quote Not Closed: /.test(err.message ?? '')) return { ok: false, problem: problem(line, 'csv-quote', {}, 'not valid CSV: a quoted field is never closed') };
    const detail = (err.message ?? String(e)).replace(/ at line \d+$/, '');
    return { ok: false, problem: problem(line, 'csv-invalid', { detail }, `not valid CSV: ${detail}`) };
  }
}

/**
 * A CSV file that must start with a header row: the header and the records after it, or undefined
 * with the reason pushed onto `problems` (not valid CSV, or an empty file).
 */
export function readCsvTable(text: string, problems: Problem[], opts: { quote?: boolean; comments?: boolean } = {}): { header: CsvRow; rows: CsvRow[] } | undefined {
  const csv = readCsv(text, opts);
  if (!csv.ok) {
    problems.push(csv.problem);
    return undefined;
  }
  const [header, ...rows] = csv.rows;
  if (!header) {
    problems.push(problem(1, 'empty', {}, 'the file is empty'));
    return undefined;
  }
  return { header, rows };
}

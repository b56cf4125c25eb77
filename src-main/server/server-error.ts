// A start-up refusal or a configuration error as the front ends show it (ServerError): the English
// message, and the variant and values for other languages.
import { ConfigError, type ConfigProblem } from '../config/schema.js';
import type { ServerError } from '../ipc/contract.js';
import { isStartupError } from './startup.js';

/** First problem named, the rest counted: a status line, not a report. */
export function problemsMessage(problems: ConfigProblem[]): string {
  const first = problems[0];
  if (!first) return 'the settings are not valid';
  const head = first.field ? `${first.field}: ${first.message}` : first.message;
  return problems.length > 1 ? `${head} (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''} — see Settings)` : head;
}

/** problemsMessage's values, for other languages (the problems themselves are the schema's English). */
function problemsText(problems: ConfigProblem[]): Pick<ServerError, 'variant' | 'params' | 'problem'> {
  const first = problems[0];
  if (!first) return { variant: 'none', params: {} };
  const problem = first.field ? `${first.field}: ${first.message}` : first.message;
  // The first problem itself, with its code: the UI words {problem} in its language from it.
  const coded = first.code ? { problem: first } : {};
  return problems.length > 1 ? { variant: 'more', params: { problem, count: problems.length - 1 }, ...coded } : { variant: 'one', params: { problem }, ...coded };
}

export function toServerError(e: unknown): ServerError {
  if (isStartupError(e)) {
    const field = e.field;
    const message = e.problems.length ? problemsMessage(e.problems) : e.message;
    const text = e.variant ? { variant: e.variant, params: e.params ?? {} } : e.problems.length ? problemsText(e.problems) : {};
    return { code: e.code, message, ...(field ? { field } : {}), ...text };
  }
  if (e instanceof ConfigError) return { code: 'config', message: problemsMessage(e.problems), ...(e.problems[0]?.field ? { field: e.problems[0].field } : {}), ...problemsText(e.problems) };
  const detail = (e as Error)?.message ?? String(e);
  return { code: 'failed', message: `the server could not start: ${detail}`, variant: 'failed', params: { detail } };
}

// Start refusals (ServerStatus.error) as the UI presents them: a title per code, the engine's own
// message (it already says what to do), and where in the Setup column the fix lives.
// Titles and advice are localized from the code (i18n catalogs); the body from the code, the
// variant and the values the engine built its English message from (refusalBody).
import type { ServerError } from '../../../src-main/ipc/contract.js';
import { hasMessage, locale, t, translate } from '../i18n/index.js';
import { refusalParams } from './config-problem-text.js';

export interface ErrorView {
  title: string;
  /** Config field or Setup anchor to jump to ("subnets[0].range", "static-address", "interface"). */
  field?: string;
  /** Label for the jump link. */
  fieldLabel?: string;
  /** Extra advice for codes whose fix is outside the app. */
  extra?: string;
  /** The refusal can be overridden by the user (start anyway). */
  overridable?: boolean;
}

export function describeError(e: ServerError): ErrorView {
  switch (e.code) {
    case 'config':
      return { title: t('error.config.title'), field: e.field, fieldLabel: t('error.showField') };
    case 'interface':
      return { title: t('error.interface.title'), field: e.field ?? 'interface', fieldLabel: t('error.chooseInterface') };
    case 'no-ipv4':
      return { title: t('error.no-ipv4.title'), field: e.field ?? 'static-address', fieldLabel: t('error.setStatic') };
    case 'foreign-network':
      return { title: t('error.foreign-network.title'), field: e.field ?? 'interface', fieldLabel: t('error.chooseAnother'), overridable: true };
    case 'foreign-server':
      return { title: t('error.foreign-server.title'), field: e.field ?? 'interface', fieldLabel: t('error.chooseAnother'), overridable: true };
    case 'port-busy':
      return { title: t('error.port-busy.title'), field: e.field, extra: t('error.port-busy.extra') };
    case 'privileges':
      return { title: t('error.privileges.title'), field: e.field, extra: t('error.privileges.extra') };
    case 'store':
      return { title: t('error.store.title'), field: e.field };
    case 'platform':
      return { title: t('error.platform.title'), field: e.field };
    case 'socket':
      return { title: t('error.socket.title'), field: e.field };
    case 'busy':
      return { title: t('error.busy.title'), field: e.field };
    default:
      return { title: t('error.other.title'), field: e.field, fieldLabel: e.field ? t('error.showField') : undefined };
  }
}

/**
 * The refusal's body in the UI language: English is the engine's message itself; other languages
 * word `refusal.<code>.<variant>` from the engine's params, followed by the command to run when the
 * sentence does not include it. Without a variant (or a catalog entry) the engine's English.
 */
export function refusalBody(e: ServerError): string {
  const l = locale();
  const key = `refusal.${e.code}.${e.variant ?? ''}`;
  if (l === 'en' || !e.variant || !hasMessage(key)) return e.message;
  // A configuration refusal names its first problem: worded in the UI language too.
  const params = refusalParams(e);
  const text = translate(l, key, params);
  const command = params.command;
  return typeof command === 'string' && command && !text.includes(command) ? `${text} ${translate(l, 'refusal.command', { command })}` : text;
}

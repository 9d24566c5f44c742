// The language every Chromium the kiosk starts speaks: French, whatever the machine's locale. Debian's Chromium ships
// only en-US without chromium-l10n, and then its date and time fields, and any format without a locale, come out in
// US English (« mm/dd/yyyy », « 02:00 PM »). The screens format in code (shared/format.ts); this makes the browser's
// own parts (built-in messages, spell-check, Accept-Language) French too.
export const KIOSK_CHROMIUM_LANG = 'fr-FR';

/** The command-line switch, for a spawned Chromium (`--lang=fr-FR`) or Electron's `app.commandLine.appendSwitch`. */
export const KIOSK_LANG_SWITCH = { name: 'lang', value: KIOSK_CHROMIUM_LANG } as const;

/** The environment a spawned browser reads its UI language from (glibc's LANGUAGE before LANG). */
export function frenchLocaleEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...env, LANGUAGE: 'fr_FR:fr', LANG: 'fr_FR.UTF-8' };
}

/** A Chromium command line with the kiosk's language (an existing --lang is replaced). */
export function withKioskLang(args: readonly string[]): string[] {
  return [...args.filter((a) => !a.startsWith('--lang=')), `--${KIOSK_LANG_SWITCH.name}=${KIOSK_LANG_SWITCH.value}`];
}

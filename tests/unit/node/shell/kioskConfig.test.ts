// The kiosk's configuration, read the same way by both shells: defaults, each variable, and hostile values refused
// with a sentence naming the variable (never a NaN that would reach a timer or a listen()).
import { describe, expect, it } from 'vitest';
import { KioskConfigError, readKioskConfig, SYNC_EVERY_MS_MAX, type KioskConfigSource } from '../../../../electron/kioskConfig.js';

const source = (env: Record<string, string | undefined> = {}, dataDirArg: string | null = null): KioskConfigSource => ({
  env,
  dataDirArg,
  platform: 'linux',
  homedir: '/home/borne',
});

/** The sentences a refused configuration gives, or a failure when it was accepted. */
function refusal(env: Record<string, string | undefined>): readonly string[] {
  try {
    readKioskConfig(source(env));
  } catch (cause) {
    expect(cause).toBeInstanceOf(KioskConfigError);
    return (cause as KioskConfigError).problems;
  }
  throw new Error(`accepted: ${JSON.stringify(env)}`);
}

describe('readKioskConfig', () => {
  it('gives the same defaults to both shells: the platform folder, relais.log, info, a demo hub on any port', () => {
    expect(readKioskConfig(source())).toEqual({
      dataDir: '/home/borne/.local/share/relais',
      logFile: '/home/borne/.local/share/relais/logs/relais.log',
      dbFile: '/home/borne/.local/share/relais/relais.sqlite',
      logLevel: 'info',
      extraGuidesDir: null,
      defaultPrinter: null,
      syncEveryMs: null,
      hub: null,
      demoHubPort: 0,
      demo: false,
    });
  });

  it('starts the plain demonstration, without the first-start assistant, only with RELAIS_DEMO=1; refuses anything but 1 or 0', () => {
    expect(readKioskConfig(source({ RELAIS_DEMO: '1' })).demo).toBe(true);
    expect(readKioskConfig(source({ RELAIS_DEMO: ' 0 ' })).demo).toBe(false);
    expect(readKioskConfig(source({ RELAIS_DEMO: '' })).demo).toBe(false);
    for (const value of ['oui', 'true', '2', '1; rm -rf /', 'x'.repeat(500)]) {
      const problems = refusal({ RELAIS_DEMO: value });
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/^RELAIS_DEMO vaut « .{0,40} » : attendu 1/);
    }
  });

  it('takes --data-dir over RELAIS_DATA_DIR, resolved against the working directory; an empty one counts as absent', () => {
    expect(readKioskConfig(source({ RELAIS_DATA_DIR: '/srv/relais' }, '/tmp/borne')).dataDir).toBe('/tmp/borne');
    expect(readKioskConfig(source({}, 'borne')).dataDir).toBe(`${process.cwd()}/borne`);
    expect(readKioskConfig(source({ RELAIS_DATA_DIR: '/srv/relais' }, '')).logFile).toBe('/srv/relais/logs/relais.log');
  });

  it('reads every variable the shells used to read on their own', () => {
    const config = readKioskConfig(
      source({
        RELAIS_LOG_LEVEL: 'warn',
        RELAIS_EXTRA_GUIDES_DIR: '/srv/guides',
        RELAIS_PRINTER: 'PDF',
        RELAIS_SYNC_EVERY_MS: '1000',
        RELAIS_HUB_URL: 'wss://hub.example.fr/hub',
        RELAIS_HUB_TOKEN: 'booth-token',
        RELAIS_HUB_PORT: '8443',
      }),
    );
    expect(config).toMatchObject({
      logLevel: 'warn',
      extraGuidesDir: '/srv/guides',
      defaultPrinter: 'PDF',
      syncEveryMs: 1000,
      hub: { url: 'wss://hub.example.fr/hub', token: 'booth-token' },
      demoHubPort: 8443,
    });
  });

  it('uses the site hub only when both its URL and its token are set', () => {
    expect(readKioskConfig(source({ RELAIS_HUB_URL: 'wss://hub.example.fr/hub' })).hub).toBeNull();
    expect(readKioskConfig(source({ RELAIS_HUB_TOKEN: 'booth-token' })).hub).toBeNull();
    expect(readKioskConfig(source({ RELAIS_HUB_URL: 'wss://hub.example.fr/hub', RELAIS_HUB_TOKEN: '  ' })).hub).toBeNull();
  });

  it('treats a blank folder or printer name as none', () => {
    const config = readKioskConfig(source({ RELAIS_EXTRA_GUIDES_DIR: '', RELAIS_PRINTER: '   ' }));
    expect(config.extraGuidesDir).toBeNull();
    expect(config.defaultPrinter).toBeNull();
  });

  it.each([
    ['negative', '-5'],
    ['zero', '0'],
    ['not a number', 'NaN'],
    ['a fraction', '1.5'],
    ['an exponent', '1e3'],
    ['empty', ''],
    ['blank', '   '],
    ['over a day', String(SYNC_EVERY_MS_MAX + 1)],
    ['huge', '9'.repeat(400)],
    ['Infinity', 'Infinity'],
  ])('refuses RELAIS_SYNC_EVERY_MS %s, naming the variable and the range', (_what, value) => {
    const [problem, ...others] = refusal({ RELAIS_SYNC_EVERY_MS: value });
    expect(others).toEqual([]);
    expect(problem).toMatch(/^RELAIS_SYNC_EVERY_MS vaut « .* » : attendu un nombre entier de 100 à 86400000 millisecondes\.$/);
  });

  it.each([['-1'], ['65536'], ['http'], [''], ['8080.5'], ['99999999999999999999']])('refuses RELAIS_HUB_PORT %j', (value) => {
    expect(refusal({ RELAIS_HUB_PORT: value })).toEqual([expect.stringMatching(/^RELAIS_HUB_PORT vaut .* de 0 à 65535/)]);
  });

  it.each([['verbose'], [''], ['INFO ']])('refuses RELAIS_LOG_LEVEL %j, listing the levels it takes', (value) => {
    expect(refusal({ RELAIS_LOG_LEVEL: value })).toEqual([expect.stringContaining('attendu l’un de fatal, error, warn, info, debug, trace, silent')]);
  });

  it('names every refused variable at once, and cuts a very long value short', () => {
    const problems = refusal({ RELAIS_SYNC_EVERY_MS: 'x'.repeat(10_000), RELAIS_HUB_PORT: '-1', RELAIS_LOG_LEVEL: 'loud' });
    expect(problems).toHaveLength(3);
    expect(problems.every((p) => p.length < 200)).toBe(true);
    const error = new KioskConfigError(problems);
    expect(error.message).toContain('Configuration de la borne invalide');
    for (const variable of ['RELAIS_SYNC_EVERY_MS', 'RELAIS_HUB_PORT', 'RELAIS_LOG_LEVEL']) expect(error.message).toContain(variable);
  });

  it('accepts surrounding blanks around a valid number or level, as a shell file often leaves them', () => {
    const config = readKioskConfig(source({ RELAIS_SYNC_EVERY_MS: ' 2000 ', RELAIS_LOG_LEVEL: ' debug' }));
    expect(config.syncEveryMs).toBe(2000);
    expect(config.logLevel).toBe('debug');
  });
});

// The department's configuration on the booth: checked whole (shape, then the booth's own guides and documents), applied
// in one SQLite transaction (organisations and their visio hours, survey period, idle delay, and the configuration
// itself for the guides, documents and charter offered), kept across restarts so the booth works offline with the last
// one, and refused whole, the previous one untouched, when anything is wrong.
import { z } from 'zod';
import type { FleetConfigOutcome, FleetConfigState } from '../../../shared/contract/index.js';
import { EpochMs } from '../../../shared/domain.js';
import { checkAgainstBooth, checkFleetConfig, ConfigVersion, FleetConfig, RefusalCode, type BoothCatalogue, type RefusalCode as Code } from '../../../shared/fleetConfig.js';
import type { Db } from '../db/index.js';
import { SURVEY_MODE_KEY } from '../evaluation/settings.js';
import { readSetting, writeSetting } from '../foundation/kv.js';
import type { Logger } from '../logger.js';
import { IDLE_SETTING_KEY } from '../teleservice/feature.js';

export const FLEET_CONFIG_KEY = 'fleet.config';
export const FLEET_REFUSAL_KEY = 'fleet.configRefusal';

const Applied = z.object({ version: ConfigVersion, appliedAt: EpochMs, config: FleetConfig });
export type AppliedConfig = z.infer<typeof Applied>;
const Refusal = z.object({ version: ConfigVersion, code: RefusalCode, at: EpochMs });

export interface FleetConfigStore {
  /** The configuration in force, or null while the site manages everything itself. */
  current(): AppliedConfig | null;
  state(): FleetConfigState;
  /** Checks and applies a version; a refusal changes nothing but the recorded refusal. */
  apply(version: number, raw: unknown, booth: BoothCatalogue): FleetConfigOutcome;
}

export interface FleetConfigStoreDeps {
  db: Db;
  clock: () => number;
  logger: Logger;
  /** Called after a configuration was applied (the screens reload). */
  onApplied?: () => void;
}

export function createFleetConfigStore({ db, clock, logger, onApplied }: FleetConfigStoreDeps): FleetConfigStore {
  const log = logger.child({ scope: 'fleet-config' });
  const upsertOrganisation = db.prepare<[string, string, number, string, string]>(
    `INSERT INTO organisations (code, name, position, opening_hours, correspondent, active) VALUES (?, ?, ?, ?, ?, 1)
     ON CONFLICT (code) DO UPDATE SET name = excluded.name, position = excluded.position, opening_hours = excluded.opening_hours,
       correspondent = excluded.correspondent, active = 1`,
  );
  // Organisations the department no longer lists stay in the table (their past visits keep their name), inactive.
  const deactivateOthers = db.prepare<[string]>('UPDATE organisations SET active = 0 WHERE code NOT IN (SELECT value FROM json_each(?))');
  const deleteRefusal = db.prepare<[string]>('DELETE FROM settings WHERE key = ?');

  let cached: AppliedConfig | null | undefined;
  const current = (): AppliedConfig | null => {
    if (cached === undefined) cached = readSetting<AppliedConfig | null>(db, FLEET_CONFIG_KEY, Applied.nullable(), null);
    return cached;
  };

  const writeAll = db.transaction((applied: AppliedConfig) => {
    const { config } = applied;
    config.organisations.forEach((o, i) => upsertOrganisation.run(o.code, o.name, i + 1, JSON.stringify(o.openingHours), o.correspondent));
    deactivateOthers.run(JSON.stringify(config.organisations.map((o) => o.code)));
    writeSetting(db, SURVEY_MODE_KEY, config.surveyPeriod);
    writeSetting(db, IDLE_SETTING_KEY, config.idleSeconds);
    writeSetting(db, FLEET_CONFIG_KEY, applied);
    deleteRefusal.run(FLEET_REFUSAL_KEY);
  });

  const refuse = (version: number, code: Code, detail: string): FleetConfigOutcome => {
    log.warn({ code: 'FLEET_CONFIG_REFUSED', version, reason: code }, 'configuration from the department refused: the previous one stays');
    try {
      writeSetting(db, FLEET_REFUSAL_KEY, { version, code, at: clock() });
    } catch (cause) {
      log.error({ code: 'FLEET_CONFIG_REFUSAL_NOT_KEPT', err: cause }, 'refusal not recorded');
    }
    return { status: 'refused', version, code, detail };
  };

  return {
    current,
    state() {
      const c = current();
      return {
        managed: c !== null,
        version: c?.version ?? null,
        appliedAt: c?.appliedAt ?? null,
        refusal: readSetting(db, FLEET_REFUSAL_KEY, Refusal.nullable(), null),
      };
    },
    apply(version, raw, booth) {
      const shape = checkFleetConfig(raw);
      if (!shape.ok) return refuse(version, shape.code, shape.detail);
      const fit = checkAgainstBooth(shape.config, booth);
      if (!fit.ok) return refuse(version, fit.code, fit.detail);
      const before = current();
      // The hub sends the version again at each sign-in: an unchanged one is not rewritten.
      if (before && before.version === version && JSON.stringify(before.config) === JSON.stringify(fit.config)) return { status: 'applied', version };
      const applied: AppliedConfig = { version, appliedAt: clock(), config: fit.config };
      try {
        writeAll(applied);
      } catch (cause) {
        cached = undefined;
        log.error({ code: 'FLEET_CONFIG_APPLY_FAILED', version, err: cause }, 'configuration not applied (rolled back)');
        return refuse(version, 'APPLY_FAILED', 'la borne n’a pas pu enregistrer la configuration');
      }
      cached = applied;
      log.info({ code: 'FLEET_CONFIG_APPLIED', version, previous: before?.version ?? null }, 'configuration from the department applied');
      onApplied?.();
      return { status: 'applied', version };
    },
  };
}

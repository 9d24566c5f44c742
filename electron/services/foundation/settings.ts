// The site's settings: name and commune, demo mode, organisations (partners) and mediators with scrypt-hashed PINs.
import { randomBytes, scrypt, scryptSync, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { z } from 'zod';
import type { AppInfo, Mediator, Organisation, OrganisationWithState } from '../../../shared/contract/index.js';
import { OpeningSlot, OrganisationCode } from '../../../shared/domain.js';
import { ExpectedError } from '../../../shared/errors.js';
import { openingState } from '../../../shared/openingHours.js';
import type { Db } from '../db/index.js';
import type { Logger } from '../logger.js';

// ---------------------------------------------------------------------------------------------------------------
// PIN hashing: `scrypt$N$r$p$<salt base64>$<hash base64>`, a random 16-byte salt per PIN.

const SCRYPT = { N: 16_384, r: 8, p: 1, keyLength: 32 } as const;
const scryptOptions = (N: number, r: number, p: number): ScryptOptions => ({ N, r, p, maxmem: 128 * N * r * 2 });

export function hashPin(pin: string): string {
  const salt = randomBytes(16);
  const hash = scryptSync(pin, salt, SCRYPT.keyLength, scryptOptions(SCRYPT.N, SCRYPT.r, SCRYPT.p));
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

/** Whether `pin` matches a stored hash; constant-time comparison, never throws on a malformed hash. */
export function verifyPin(pin: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return Promise.resolve(false);
  const [N, r, p] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  const salt = Buffer.from(parts[4] ?? '', 'base64');
  const expected = Buffer.from(parts[5] ?? '', 'base64');
  if (!Number.isInteger(N) || !Number.isInteger(r) || !Number.isInteger(p) || expected.length === 0) return Promise.resolve(false);
  return new Promise((resolve) => {
    scrypt(pin, salt, expected.length, scryptOptions(N, r, p), (error, derived) => {
      resolve(!error && derived.length === expected.length && timingSafeEqual(derived, expected));
    });
  });
}

// ---------------------------------------------------------------------------------------------------------------
// The demo configuration (assets/demo-config.json).

export const DemoConfig = z.object({
  site: z.object({ name: z.string().min(1), commune: z.string() }),
  organisations: z
    .array(
      z.object({
        code: OrganisationCode,
        name: z.string().min(1).max(80),
        openingHours: z.array(OpeningSlot),
        correspondent: z.string().max(200),
      }),
    )
    .min(1),
  mediators: z.array(z.object({ name: z.string().min(1), pin: z.string().regex(/^\d{4,8}$/) })).min(1),
});
export type DemoConfig = z.infer<typeof DemoConfig>;

// ---------------------------------------------------------------------------------------------------------------

export interface SiteSettings {
  name: string;
  commune: string;
  /** True while the site is still the seeded demonstration (see `appInfo`). */
  demo: boolean;
}

export interface Settings {
  site(): SiteSettings;
  /** Renames the site. A site that sets its own name is no longer a demo: the demo PIN stops being shown. */
  updateSite(name: string, commune: string): SiteSettings;
  appInfo(now: number, version: string): AppInfo;
  /** Every organisation, active or not, in position order. */
  organisations(): Organisation[];
  organisation(code: string): Organisation | null;
  organisationsWithState(now: number): OrganisationWithState[];
  /** Upsert by code: renames/edits an existing organisation (keeping its position) or appends a new one. */
  saveOrganisation(input: Omit<Organisation, 'position'>): Organisation;
  mediators(): Mediator[];
  mediator(id: number): Mediator | null;
  /** DUPLICATE when an active mediator has the same name (details.field = 'name') or the same PIN ('pin'). */
  addMediator(name: string, pin: string): Promise<Mediator>;
  setMediatorPin(id: number, pin: string): Promise<Mediator>;
  /** LAST_MEDIATOR when it would leave no active mediator (nobody could unlock the booth). */
  deactivateMediator(id: number): Mediator;
  /** The active mediators whose PIN is `pin` (all hashes are checked, in parallel). */
  mediatorsMatchingPin(pin: string): Promise<Mediator[]>;
  /** Seeds the demo site when the database has no organisation and no mediator; returns whether it did. */
  seedDemoIfEmpty(config: DemoConfig): boolean;
  onChange(listener: () => void): () => void;
}

export interface SettingsDeps {
  db: Db;
  clock: () => number;
  logger: Logger;
}

interface OrganisationRow {
  code: string;
  name: string;
  position: number;
  opening_hours: string;
  correspondent: string;
  active: number;
}
interface MediatorRow {
  id: number;
  name: string;
  pin_hash: string;
  active: number;
}

const SETTING_SITE_NAME = 'site.name';
const SETTING_SITE_COMMUNE = 'site.commune';
const SETTING_DEMO = 'demo';
const SETTING_DEMO_PIN = 'demo.pin';
const SETTING_DEMO_MEDIATOR = 'demo.mediatorId';

const toOrganisation = (row: OrganisationRow): Organisation => ({
  code: row.code,
  name: row.name,
  position: row.position,
  openingHours: z.array(OpeningSlot).catch([]).parse(JSON.parse(row.opening_hours)),
  correspondent: row.correspondent,
  active: row.active === 1,
});
const toMediator = (row: Pick<MediatorRow, 'id' | 'name' | 'active'>): Mediator => ({ id: row.id, name: row.name, active: row.active === 1 });

export function createSettings({ db, clock, logger }: SettingsDeps): Settings {
  const log = logger.child({ scope: 'settings' });
  const listeners = new Set<() => void>();
  const changed = (): void => {
    for (const l of listeners) l();
  };

  const getSetting = db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?');
  const putSetting = db.prepare<[string, string]>(
    'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  );
  const deleteSetting = db.prepare<[string]>('DELETE FROM settings WHERE key = ?');
  const read = (key: string, fallback = ''): string => getSetting.get(key)?.value ?? fallback;
  const endDemo = (): void => {
    putSetting.run(SETTING_DEMO, '0');
    deleteSetting.run(SETTING_DEMO_PIN);
  };

  const allOrganisations = db.prepare<[], OrganisationRow>('SELECT * FROM organisations ORDER BY position, code');
  const oneOrganisation = db.prepare<[string], OrganisationRow>('SELECT * FROM organisations WHERE code = ?');
  const upsertOrganisation = db.prepare<[string, string, number, string, string, number]>(
    `INSERT INTO organisations (code, name, position, opening_hours, correspondent, active) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (code) DO UPDATE SET name = excluded.name, opening_hours = excluded.opening_hours,
       correspondent = excluded.correspondent, active = excluded.active`,
  );
  const nextPosition = db.prepare<[], { next: number }>('SELECT COALESCE(MAX(position), 0) + 1 AS next FROM organisations');

  const allMediators = db.prepare<[], MediatorRow>('SELECT id, name, pin_hash, active FROM mediators ORDER BY id');
  const activeMediators = db.prepare<[], MediatorRow>('SELECT id, name, pin_hash, active FROM mediators WHERE active = 1 ORDER BY id');
  const oneMediator = db.prepare<[number], MediatorRow>('SELECT id, name, pin_hash, active FROM mediators WHERE id = ?');
  const insertMediator = db.prepare<[string, string, number]>('INSERT INTO mediators (name, pin_hash, active, created_at) VALUES (?, ?, 1, ?)');
  const updatePin = db.prepare<[string, number]>('UPDATE mediators SET pin_hash = ? WHERE id = ?');
  const deactivate = db.prepare<[number]>('UPDATE mediators SET active = 0 WHERE id = ?');
  const countActive = db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM mediators WHERE active = 1');

  const site = (): SiteSettings => ({
    name: read(SETTING_SITE_NAME, 'Relais'),
    commune: read(SETTING_SITE_COMMUNE),
    demo: read(SETTING_DEMO, '0') === '1',
  });

  const endDemoIf = (mediatorId: number): void => {
    if (site().demo && read(SETTING_DEMO_MEDIATOR) === String(mediatorId)) {
      endDemo();
      log.info({ code: 'DEMO_ENDED' }, 'demo mediator changed: demo mode ended');
    }
  };

  const organisation = (code: string): Organisation | null => {
    const row = oneOrganisation.get(code);
    return row ? toOrganisation(row) : null;
  };

  const mediatorsMatchingPin = async (pin: string): Promise<Mediator[]> => {
    const rows = activeMediators.all();
    const matches = await Promise.all(rows.map((row) => verifyPin(pin, row.pin_hash)));
    return rows.filter((_, i) => matches[i]).map(toMediator);
  };

  const requireMediatorRow = (id: number): MediatorRow => {
    const row = oneMediator.get(id);
    if (!row) throw new ExpectedError('NOT_FOUND', `Médiateur ${id} introuvable.`, { id });
    return row;
  };

  return {
    site,

    updateSite(name, commune) {
      db.transaction(() => {
        putSetting.run(SETTING_SITE_NAME, name.trim());
        putSetting.run(SETTING_SITE_COMMUNE, commune.trim());
        endDemo();
      })();
      log.info({ code: 'SITE_UPDATED' }, 'site settings updated');
      changed();
      return site();
    },

    appInfo(now, version) {
      const s = site();
      return {
        siteName: s.name,
        commune: s.commune,
        demo: s.demo,
        demoPin: s.demo ? read(SETTING_DEMO_PIN) || null : null,
        now,
        version,
      };
    },

    organisations: () => allOrganisations.all().map(toOrganisation),
    organisation,

    organisationsWithState(now) {
      return allOrganisations.all().map((row) => {
        const org = toOrganisation(row);
        return { ...org, visio: openingState(org.openingHours, now) };
      });
    },

    saveOrganisation(input) {
      const slots = z.array(OpeningSlot).parse(input.openingHours);
      const saved = db.transaction(() => {
        const existing = oneOrganisation.get(input.code);
        const position = existing?.position ?? nextPosition.get()?.next ?? 1;
        upsertOrganisation.run(input.code, input.name.trim(), position, JSON.stringify(slots), input.correspondent, input.active ? 1 : 0);
        return organisation(input.code);
      })();
      if (!saved) throw new Error(`organisation ${input.code} vanished after save`);
      log.info({ code: 'ORGANISATION_SAVED', organisation: input.code }, 'organisation saved');
      changed();
      return saved;
    },

    mediators: () => allMediators.all().map(toMediator),
    mediator(id) {
      const row = oneMediator.get(id);
      return row ? toMediator(row) : null;
    },

    async addMediator(name, pin) {
      const trimmed = name.trim();
      if (activeMediators.all().some((m) => m.name.toLocaleLowerCase('fr') === trimmed.toLocaleLowerCase('fr'))) {
        throw new ExpectedError('DUPLICATE', 'Un médiateur actif porte déjà ce nom.', { field: 'name' });
      }
      // Two mediators with one PIN could not be told apart at unlock, and visits would be credited to the wrong one.
      if ((await mediatorsMatchingPin(pin)).length > 0) {
        throw new ExpectedError('DUPLICATE', 'Ce code est déjà utilisé par un autre médiateur.', { field: 'pin' });
      }
      const id = Number(insertMediator.run(trimmed, hashPin(pin), clock()).lastInsertRowid);
      log.info({ code: 'MEDIATOR_ADDED', mediatorId: id }, 'mediator added');
      changed();
      return toMediator(requireMediatorRow(id));
    },

    async setMediatorPin(id, pin) {
      requireMediatorRow(id);
      if ((await mediatorsMatchingPin(pin)).some((m) => m.id !== id)) {
        throw new ExpectedError('DUPLICATE', 'Ce code est déjà utilisé par un autre médiateur.', { field: 'pin' });
      }
      db.transaction(() => {
        updatePin.run(hashPin(pin), id);
        endDemoIf(id);
      })();
      log.info({ code: 'MEDIATOR_PIN_CHANGED', mediatorId: id }, 'mediator PIN changed');
      changed();
      return toMediator(requireMediatorRow(id));
    },

    deactivateMediator(id) {
      const row = requireMediatorRow(id);
      if (row.active === 1) {
        db.transaction(() => {
          if ((countActive.get()?.n ?? 0) <= 1) {
            throw new ExpectedError('LAST_MEDIATOR', 'Impossible de désactiver le dernier médiateur actif.', { id });
          }
          deactivate.run(id);
          endDemoIf(id);
        })();
        log.info({ code: 'MEDIATOR_DEACTIVATED', mediatorId: id }, 'mediator deactivated');
        changed();
      }
      return toMediator(requireMediatorRow(id));
    },

    mediatorsMatchingPin,

    seedDemoIfEmpty(config) {
      const parsed = DemoConfig.parse(config);
      const empty = db.prepare<[], { n: number }>('SELECT (SELECT COUNT(*) FROM organisations) + (SELECT COUNT(*) FROM mediators) AS n').get();
      if ((empty?.n ?? 0) > 0) return false;
      const hashes = parsed.mediators.map((m) => hashPin(m.pin));
      db.transaction(() => {
        putSetting.run(SETTING_SITE_NAME, parsed.site.name);
        putSetting.run(SETTING_SITE_COMMUNE, parsed.site.commune);
        putSetting.run(SETTING_DEMO, '1');
        parsed.organisations.forEach((o, i) => {
          upsertOrganisation.run(o.code, o.name, i + 1, JSON.stringify(o.openingHours), o.correspondent, 1);
        });
        const now = clock();
        parsed.mediators.forEach((m, i) => {
          const id = Number(insertMediator.run(m.name, hashes[i] ?? hashPin(m.pin), now).lastInsertRowid);
          if (i === 0) {
            putSetting.run(SETTING_DEMO_MEDIATOR, String(id));
            putSetting.run(SETTING_DEMO_PIN, m.pin);
          }
        });
      })();
      log.info({ code: 'DEMO_SEEDED', organisations: parsed.organisations.length }, 'demo site seeded');
      return true;
    },

    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

// The appointments feature of the kiosk (issue 19): the visitor's slip through the site's printer (the same tracked job
// path as every print), and the appointments booked here, remembered across restarts (appointments.* verbs).
import type { PrintJob } from '../../../shared/contract/index.js';
import type { appointmentsVerbs } from '../../../shared/contract/appointments.js';
import { ExpectedError } from '../../../shared/errors.js';
import type { KioskCore, KioskFeature } from '../core.js';
import { createAppointmentsRepo } from './appointmentsRepo.js';
import { slipPdf } from './slipPdf.js';

export type AppointmentsVerb = keyof typeof appointmentsVerbs;

/** As the hub's grace time (server/appointments DEFAULT_GRACE_MS): a late visitor still connects until then. */
export const APPOINTMENT_GRACE_MS = 15 * 60_000;
/**
 * Rows over for longer than this are deleted when the list is read: kept 13 months so that the month report (issue 19's
 * counts) can be made again for any month of the past year. A row holds no visitor data (id, organisation, times, subject).
 */
export const KEEP_AFTER_END_MS = 400 * 24 * 3_600_000;

export interface AppointmentsFeatureOptions {
  /** The printing feature's tracked submit; absent when the kiosk has no printing (the slip then says NO_PRINTER). */
  print?: (request: { pdf: Uint8Array; title: string; organisation: string }) => Promise<PrintJob>;
}

export function createAppointmentsFeature(core: Pick<KioskCore, 'db' | 'clock' | 'settings'>, options: AppointmentsFeatureOptions): KioskFeature<AppointmentsVerb> {
  const repo = createAppointmentsRepo(core.db);
  return {
    handlers: {
      'appointments.printSlip': async ({ organisation, startsAt, subjectLabel, bring }) => {
        const org = core.settings.organisations().find((o) => o.code === organisation);
        if (!org) throw new ExpectedError('UNKNOWN_ORGANISATION', `Organisme inconnu : ${organisation}`);
        if (!options.print) throw new ExpectedError('NO_PRINTER', "Aucune imprimante n'est choisie pour ce site.");
        const site = core.settings.site();
        const pdf = await slipPdf({ organisationName: org.name, startsAt, subjectLabel, bring, siteName: site.name, commune: site.commune, printedAt: core.clock() });
        return options.print({ pdf, title: `Rendez-vous ${org.name}`, organisation });
      },
      'appointments.record': (appointment) => {
        repo.record(appointment, core.clock());
        return { done: true as const };
      },
      'appointments.list': () => {
        const now = core.clock();
        repo.purge(now - KEEP_AFTER_END_MS);
        return repo.list(now - APPOINTMENT_GRACE_MS);
      },
      'appointments.update': ({ id, status }) => {
        if (!repo.update(id, status, core.clock())) throw new ExpectedError('NOT_FOUND', 'Rendez-vous inconnu.');
        return { done: true as const };
      },
    },
  };
}

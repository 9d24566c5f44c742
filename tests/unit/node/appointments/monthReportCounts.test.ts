// The kiosk's month report, its PDF and the CSV count this booth's appointments per organisation (issue 19) from its own
// records: pris, honorés, non honorés, annulés; an honoured appointment is also one visio visit in the weekly grid, and
// the appointments stay long enough for last month's report to be made again.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../../../electron/services/dispatch.js';
import { KEEP_AFTER_END_MS } from '../../../../electron/services/appointments/feature.js';
import { monthReport, reportPdf, visitsCsv, weekCounts } from '../../../../electron/services/evaluation/index.js';
import { createKiosk, type Kiosk } from '../../../../electron/services/kiosk.js';
import { silentLogger } from '../../../../electron/services/logger.js';
import type { KioskAppointment } from '../../../../shared/contract/index.js';
import { weekKeyOf } from '../../../../shared/time.js';
import { ASSETS_DIR, fakeClock, paris } from '../services/support.js';

const work = mkdtempSync(join(tmpdir(), 'relais-appt-report-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const kiosks: Kiosk[] = [];
afterEach(() => {
  for (const k of kiosks.splice(0)) k.close();
});

const MIN = 60_000;
const appt = (id: string, organisation: string, startsAt: number, status: KioskAppointment['status']): KioskAppointment => ({ id, organisation, startsAt, endsAt: startsAt + 20 * MIN, subjectLabel: 'RSA et prime d’activité', status });

function kioskAt(start: number) {
  const clock = fakeClock(start);
  const kiosk = createKiosk({ dbFile: ':memory:', clock, logger: silentLogger(), assetsDir: ASSETS_DIR, printing: false });
  kiosks.push(kiosk);
  const call = async (verb: string, input: unknown) => {
    const r = await dispatch({ handlers: kiosk.handlers, requireMediator: () => kiosk.requireMediator(), logger: silentLogger() }, verb, input);
    if (!r.ok) throw new Error(`${verb}: ${r.error.code}`);
    return r.value;
  };
  const orgs = () => kiosk.settings.organisations().map((o) => ({ code: o.code, name: o.name }));
  return { kiosk, clock, call, orgs };
}

/** November 2026 at the booth: CAF honoured (its call recorded), CAF missed, CAF closed by the CAF, CPAM cancelled here;
 *  31 October 23:30 and 1 December 00:10 in Paris fall outside. */
async function november() {
  const k = kioskAt(paris(2026, 11, 2, 9, 0));
  const honouredAt = paris(2026, 11, 26, 14, 30);
  for (const a of [
    appt('h', 'CAF', honouredAt, 'booked'),
    appt('m', 'CAF', paris(2026, 11, 27, 10, 0), 'missed'),
    appt('c', 'CAF', paris(2026, 11, 30, 23, 30), 'closed'),
    appt('x', 'CPAM', paris(2026, 11, 3, 9, 0), 'cancelled'),
    appt('oct', 'CAF', paris(2026, 10, 31, 23, 30), 'honoured'),
    appt('dec', 'CAF', paris(2026, 12, 1, 0, 10), 'booked'),
  ])
    await k.call('appointments.record', a);
  // The call: answered two minutes in, twelve minutes long; the hub's « honoured » arrives, then again at a reconnection.
  await k.call('visio.recordVisit', { organisation: 'CAF', startedAt: honouredAt + 2 * MIN, endedAt: honouredAt + 14 * MIN });
  await k.call('appointments.record', appt('h', 'CAF', honouredAt, 'honoured'));
  await k.call('appointments.update', { id: 'h', status: 'honoured' });
  return { ...k, honouredAt };
}

describe('the month report’s « Rendez-vous en visio »', () => {
  it('counts the month’s appointments per organisation, named and in the settings’ order', async () => {
    const { kiosk, orgs } = await november();
    const report = monthReport(kiosk.db, '2026-11', orgs());
    expect(report.appointments.rows).toEqual([
      { organisation: 'CAF', name: "Caisse d'allocations familiales", counts: { booked: 3, honoured: 1, missed: 1, cancelled: 1 } },
      { organisation: 'CPAM', name: expect.stringContaining('Assurance Maladie'), counts: { booked: 1, honoured: 0, missed: 0, cancelled: 1 } },
    ]);
    expect(report.appointments.totals).toEqual({ booked: 4, honoured: 1, missed: 1, cancelled: 2 });
    expect(monthReport(kiosk.db, '2026-10', orgs()).appointments.totals).toEqual({ booked: 1, honoured: 1, missed: 0, cancelled: 0 });
    expect(monthReport(kiosk.db, '2026-12', orgs()).appointments.totals).toEqual({ booked: 1, honoured: 0, missed: 0, cancelled: 0 });
  });

  it('counts the honoured appointment once as a CAF visio visit in the weekly grid and the month', async () => {
    const { kiosk, orgs, honouredAt } = await november();
    expect(weekCounts(kiosk.db, weekKeyOf(honouredAt))).toEqual([{ organisation: 'CAF', service: 'visio', count: 1 }]);
    const caf = monthReport(kiosk.db, '2026-11', orgs()).rows.find((r) => r.organisation === 'CAF');
    expect(caf?.counts.visio).toBe(1);
    expect(caf?.total).toBe(1);
  });

  it('keeps an honoured appointment honoured when a cancellation or « non honoré » comes after it', async () => {
    const { kiosk, call, orgs, honouredAt } = await november();
    await call('appointments.update', { id: 'h', status: 'cancelled' });
    await call('appointments.record', appt('h', 'CAF', honouredAt, 'missed'));
    expect(monthReport(kiosk.db, '2026-11', orgs()).appointments.rows[0]?.counts).toEqual({ booked: 3, honoured: 1, missed: 1, cancelled: 1 });
  });

  it('puts the section in the PDF, read back with pdftotext', async () => {
    const { kiosk, orgs } = await november();
    const file = join(work, 'report.pdf');
    writeFileSync(file, await reportPdf(monthReport(kiosk.db, '2026-11', orgs()), 'Relais de Gramat', { generatedAt: paris(2026, 12, 1, 9) }));
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    expect(text).toContain('Rendez-vous en visio');
    expect(text).toMatch(/Pris\s+Honorés\s+Non honorés\s+Annulés/);
    expect(text).toMatch(/Caisse d'allocations familiales\s+3\s+1\s+1\s+1/);
    expect(text).toMatch(/Total\s+4\s+1\s+1\s+2/);
  });

  it('says so in the PDF when no appointment was booked here that month', async () => {
    const { kiosk, orgs } = kioskAt(paris(2026, 11, 2, 9, 0));
    const file = join(work, 'empty.pdf');
    writeFileSync(file, await reportPdf(monthReport(kiosk.db, '2026-11', orgs()), 'Relais de Gramat', { generatedAt: paris(2026, 12, 1, 9) }));
    expect(execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' })).toContain('Aucun rendez-vous pris ici pour ce mois.');
  });

  it('ends the CSV with the appointments of its days, after a blank line', async () => {
    const { kiosk, orgs } = await november();
    const lines = visitsCsv(kiosk.db, '2026-11-01', '2026-11-30', orgs()).content.slice(1).trimEnd().split('\r\n');
    expect(lines.slice(-6)).toEqual(['', 'Rendez-vous en visio', 'Organisme;Pris;Honorés;Non honorés;Annulés', "Caisse d'allocations familiales;3;1;1;1", 'Assurance Maladie (CPAM);1;0;0;1', 'Total;4;1;1;2']);
    // One day only: 30 November, whose 23:30 appointment is still November in Paris.
    const lastDay = visitsCsv(kiosk.db, '2026-11-30', '2026-11-30', orgs()).content.trimEnd().split('\r\n');
    expect(lastDay.slice(-2)).toEqual(["Caisse d'allocations familiales;1;0;0;1", 'Total;1;0;0;1']);
  });

  it('keeps last month’s appointments when the home’s list is read weeks later, and forgets them after 400 days', async () => {
    const { kiosk, clock, call, orgs } = await november();
    clock.set(paris(2027, 1, 20, 9, 0));
    await call('appointments.list', {});
    expect(monthReport(kiosk.db, '2026-11', orgs()).appointments.totals.booked).toBe(4);
    clock.set(paris(2026, 12, 1, 0, 30) + KEEP_AFTER_END_MS + 86_400_000);
    await call('appointments.list', {});
    expect(monthReport(kiosk.db, '2026-11', orgs()).appointments.totals.booked).toBe(0);
  });
});

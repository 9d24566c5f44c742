// One thread of the booking race: its own SQLite connection to the shared file, waiting at a barrier, then booking.
import { randomUUID } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import { createAppointmentService } from '../../../../server/appointments/service.js';
import { createSqliteAppointmentStore } from '../../../../server/appointments/sqliteStore.js';
import { openHubDb } from '../../../../server/store.js';

const data = workerData as { file: string; startsAt: number; now: number; boothIds: number[]; barrier: SharedArrayBuffer };
const db = openHubDb(data.file);
const service = createAppointmentService({ store: createSqliteAppointmentStore(db), clock: () => data.now, newId: randomUUID });
const flags = new Int32Array(data.barrier);
Atomics.add(flags, 1, 1);
Atomics.wait(flags, 0, 0);
const results = [];
for (const boothId of data.boothIds) {
  const r = await service.book({ organisation: 'CAF', boothId, startsAt: data.startsAt, subject: 'rsa' });
  results.push(r.ok ? { boothId, ok: true, code: null, next: [] } : { boothId, ok: false, code: r.code, next: r.next ?? [] });
}
db.close();
parentPort?.postMessage(results);

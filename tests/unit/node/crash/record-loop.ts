// Child process of visits-crash.test.ts: records visits in a loop and prints each id once `record` has returned.
import { openDatabase } from '../../../../electron/services/db/index.js';
import { silentLogger } from '../../../../electron/services/logger.js';
import { createVisits } from '../../../../electron/services/foundation/visits.js';
import { SERVICE_TYPES } from '../../../../shared/domain.js';

const file = process.argv[2];
// A bound, so an orphaned child (its parent gone, its stdout closed) still ends by itself.
const limit = Number(process.argv[3] ?? 2000);
if (!file) throw new Error('usage: record-loop.ts <db file> [max records]');
const db = openDatabase(file);
db.prepare("INSERT OR IGNORE INTO organisations (code, name, position, active) VALUES ('CAF', 'Caisse d''allocations familiales', 1, 1)").run();
const visits = createVisits({ db, clock: Date.now, logger: silentLogger() });
process.stdout.write('ready\n');
for (let i = 0; i < limit; i++) {
  const v = visits.record({ organisation: 'CAF', service: SERVICE_TYPES[i % SERVICE_TYPES.length] ?? 'info' }, { mediatorId: 1, source: 'mediator' });
  // Writes to a pipe are synchronous on Linux: once this returns, the parent can read the acknowledgement.
  process.stdout.write(`${v.id}\n`);
}

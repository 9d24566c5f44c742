// A department configuration like the demo site's (assets/demo-config.json), for the configuration's tests.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { FleetConfig } from '../../../../shared/fleetConfig.js';

const ROOT = path.resolve(import.meta.dirname, '../../../..');
const demo = JSON.parse(readFileSync(path.join(ROOT, 'assets/demo-config.json'), 'utf8')) as { organisations: FleetConfig['organisations'] };

export function sampleConfig(patch: Partial<FleetConfig> = {}): FleetConfig {
  return {
    organisations: demo.organisations.map((o) => ({ code: o.code, name: o.name, openingHours: o.openingHours, correspondent: o.correspondent })),
    guidesOffered: null,
    documentsOffered: null,
    charter: null,
    surveyPeriod: 'always',
    idleSeconds: 90,
    ...patch,
  };
}

// The fleet feature's verb: what only the kiosk's main process knows of the booth's health, for the report the renderer
// sends to the hub (renderer/kiosk/fleet/). The renderer adds what only it sees: cameras, microphones, the hub's clock.
import type { z } from 'zod';
import { BoothHealth } from '../fleet.js';
import { Empty, verb } from './verb.js';

/** The booth's health less what the renderer measures itself (its devices, its clock against the hub's). */
export const FleetSnapshot = BoothHealth.omit({ cameras: true, microphones: true, clockOffsetMs: true });
export type FleetSnapshot = z.infer<typeof FleetSnapshot>;

export const fleetVerbs = {
  'fleet.health': verb({ input: Empty, output: FleetSnapshot, errors: [], mediatorOnly: false }),
} as const;

// The hub's public face: what the kiosk's embedded demo hub and the tests start, and the types they hold.
export { startHub } from './hub.js';
export type { DemoAccounts, HubOptions, HubStats, RunningHub } from './hub.js';

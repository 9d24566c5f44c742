// The hub's face for code outside server/: start a hub and the types of what it returns. Re-exports only.
export { startHub, type DemoAccounts, type HubOptions, type HubStats, type RunningHub } from './hub.js';

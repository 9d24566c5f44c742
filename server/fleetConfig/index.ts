// The configuration pushed from the hub: versions, each booth's state, the coordinator's API.
export { answerConfig, configNeedsBody, isConfigPath, CONFIG_API_PREFIX } from './routes.js';
export { createHubFleetConfig, starterConfig, MAX_VERSIONS_LISTED, type BoothConfigState, type ConfigVersionFull, type ConfigVersionSummary, type HubFleetConfig } from './service.js';
export { createSqliteFleetConfigStore, type FleetConfigStore, type StoredVersion } from './store.js';

// The configuration pushed from the hub: versions, each booth's state, the coordinator's API.
export { answerConfig, configNeedsBody, isConfigPath, starterConfig, CONFIG_API_PREFIX } from './routes.js';
export { createHubFleetConfig, MAX_VERSIONS_LISTED, type BoothConfigState, type ConfigVersionFull, type ConfigVersionSummary, type HubFleetConfig } from './service.js';

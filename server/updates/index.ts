// Kiosk updates on the hub: releases and their files (the hub's disk and SQLite, or PostgreSQL for a hub across
// machines), electron-updater's generic feed, staged rollout, reports.
export {
  ReleaseFileError,
  checkReleaseFile,
  diskReleaseFiles,
  isReleaseFile,
  parseRange,
  releaseFilePath,
  storeReleaseFile,
  type ReleaseFiles,
  type StoredReleaseFile,
} from './files.js';
export { channelFile, currentVersionFile, fileUrlOf } from './manifest.js';
export { inRollout, newestFirst, offeredRelease, rolloutBucket } from './rollout.js';
export { createUpdateRoutes, type UpdateRoutesDeps } from './routes.js';
export { createSqliteUpdateStore, type BoothUpdateReport, type Release, type ReleaseFile, type UpdateStore } from './store.js';
export { createHubUpdates, createSharedUpdates, type HubUpdatesDeps, type SharedUpdatesDeps } from './hubUpdates.js';

// Kiosk updates on the hub: releases on disk and in SQLite, electron-updater's generic feed, staged rollout, reports.
export { ReleaseFileError, parseRange, releaseFilePath, storeReleaseFile } from './files.js';
export { channelFile, currentVersionFile, fileUrlOf } from './manifest.js';
export { inRollout, newestFirst, offeredRelease, rolloutBucket } from './rollout.js';
export { createUpdateRoutes, type UpdateRoutesDeps } from './routes.js';
export { createSqliteUpdateStore, type BoothUpdateReport, type Release, type ReleaseFile, type UpdateStore } from './store.js';
export { createHubUpdates, type HubUpdatesDeps } from './hubUpdates.js';

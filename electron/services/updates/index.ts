// Kiosk updates: the hub's feed for this booth, electron-updater driven to install only when idle, a checker without
// Electron that downloads and verifies sha512, the reports to the hub.
export { ChannelFile, checkRelease, type ReleaseCheck, type ReleaseCheckOptions } from './checker.js';
export { createUpdatesFeature, type UpdatesFeature, type UpdatesVerb } from './feature.js';
export { updateFeedOf, type UpdateFeed } from './feed.js';
export { pendingFile, type PendingStore, type PendingUpdate } from './pending.js';
export { createUpdateReporter, type UpdateReporter } from './report.js';
export { createKioskUpdater, type IdleVerdict, type KioskUpdater, type KioskUpdaterDeps, type UpdaterPhase, type UpdaterPort } from './updater.js';

// The coordinator's side of the hub: aggregates received from booths, the coordinator's login and dashboard routes.
export { COOKIE, createCoordinatorRoutes, siteIdOfBooth, type CoordinatorRoutesOptions, type HttpRoute } from './routes.js';
export { createCoordinatorStore, type CoordinatorRow, type CoordinatorStore } from './store.js';

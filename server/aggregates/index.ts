// The hub's weekly aggregates: payload schema, store and coordinator queries.
export { AGGREGATE_LIMIT_CEILING, AggregateLimitsSchema, DEFAULT_AGGREGATE_LIMITS, outOfBounds, type AggregateLimits } from './bounds.js';
export { WeekCount, WeeklyAggregatePayload } from '../../shared/aggregates.js';
export { MAX_DASHBOARD_WEEKS, dashboard, dashboardCsv, migrateAggregates, storeWeek, type Dashboard, type StoreError, type StoreOutcome } from './store.js';

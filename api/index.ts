export { buildApp, type App } from './app.ts';
export type { AppContext } from './http/context.ts';
export { ingestResults, type IngestOutcome } from './ingest/ingest-results.ts';
export { evaluatePending, markAllLive, rebuildTimeline } from './evaluate/rebuild-timeline.ts';
export { evaluateQuorum, type ComponentState, type RegionReading } from './evaluate/evaluate-quorum.ts';
export { loadAssignment } from './assignment/load-assignment.ts';
export type { DayUptime } from './public/daily-uptime.ts';
export { listPageIds, loadPageStatus, type PageStatus, type ComponentStatus } from './public/load-page-status.ts';
export { isApiPath } from './http/is-api-path.ts';

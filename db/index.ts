export * as tables from './schema/index.ts';
export { openDatabase, type Database, type DatabaseHandle } from './open-database.ts';
export { DataDirLockedError } from './pglite-lock.ts';
export { syncConfig, type SyncSummary } from './sync-config.ts';
export { rowsOf } from './rows-of.ts';
export { describeDatabase } from './describe-database.ts';
export { maintainEmbedded } from './maintain-embedded.ts';
export { chunkByParameters, inList, MAX_PARAMETERS_PER_STATEMENT, notInList, rowChunks } from './bounded-statements.ts';

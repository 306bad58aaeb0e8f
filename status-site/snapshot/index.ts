export { createSnapshotStore, STALE_MARKER, type Rendered, type Snapshot, type SnapshotStore } from './snapshot-store.ts';
export { createSnapshotHandler } from './serve-snapshot.ts';
export { snapshotKeyOf, type SnapshotSource } from './snapshot-key.ts';
export { renderInMemory, type NodeHandler } from './render-in-memory.ts';
export { chooseEncoding, encodeBody } from './encode-body.ts';
export { createPublicRenderer } from './site-snapshots.ts';
export { exportSite, exportSiteAtomically, type ExportResult } from './export-site.ts';
export { publicQueryProblem } from './query-problem.ts';
export { addressLanguage, errorPage } from './error-pages.ts';

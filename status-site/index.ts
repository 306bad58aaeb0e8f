import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';

/** The built site's Node handler: `(req, res, next, locals)`. */
export type SiteHandler = (req: IncomingMessage, res: ServerResponse, next: () => void, locals: object) => Promise<void> | void;

const ENTRY = new URL('./dist/server/entry.mjs', import.meta.url);

/** Whether the server build of the site exists. */
export function isSiteBuilt(): boolean {
  return existsSync(fileURLToPath(ENTRY));
}

/** Loads the server build of the site (made by `npm run build`, which `npm start` runs first). */
export async function loadSiteHandler(): Promise<SiteHandler> {
  if (!existsSync(fileURLToPath(ENTRY))) {
    throw new Error(`the status site is not built (${fileURLToPath(ENTRY)} is missing); run "npm run build" or start with "npm start"`);
  }
  const entry = (await import(ENTRY.href)) as { handler: SiteHandler };
  return entry.handler;
}
export { startSiteSnapshots } from './snapshot/site-snapshots.ts';
export { publicQueryProblem, addressLanguage, errorPage, createPublicRenderer, exportSite, exportSiteAtomically, type ExportResult } from './snapshot/index.ts';
export { createSnapshotHandler, createSnapshotStore, renderInMemory, snapshotKeyOf, type Rendered, type SnapshotStore } from './snapshot/index.ts';
export { siteBrandingOf, emptySiteBranding, serveSiteFile, DEFAULT_FAVICON_PATH, type PageBranding, type SiteBranding, type ServedFile } from './branding/index.ts';

import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';

/** The built site's Node handler: `(req, res, next, locals)`. */
export type SiteHandler = (req: IncomingMessage, res: ServerResponse, next: () => void, locals: object) => Promise<void> | void;

const ENTRY = new URL('./dist/server/entry.mjs', import.meta.url);

/** Loads the server build of the site (made by `npm run build`, which `npm start` runs first). */
export async function loadSiteHandler(): Promise<SiteHandler> {
  if (!existsSync(fileURLToPath(ENTRY))) {
    throw new Error(`the status site is not built (${fileURLToPath(ENTRY)} is missing); run "npm run build" or start with "npm start"`);
  }
  const entry = (await import(ENTRY.href)) as { handler: SiteHandler };
  return entry.handler;
}

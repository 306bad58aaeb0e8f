export { siteBrandingOf, emptySiteBranding, type PageBranding, type SiteBranding, type ServedFile } from './site-branding.ts';
export { serveSiteFile } from './serve-site-file.ts';
export { DEFAULT_FAVICON_PATH } from './default-favicon.ts';

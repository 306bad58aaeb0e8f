export * from './schema.ts';
export { checkId } from './config-rules.ts';
export { parseConfig, loadConfigFile, formatConfigIssues, type ConfigIssue, type ConfigResult } from './load-config.ts';
export { localize } from './localize.ts';
export { diffConfig, describeChanges, isUnchanged, type ChangeList, type ConfigChanges, type ConfigReloadOutcome } from './diff-config.ts';
export { configJsonSchema } from './json-schema.ts';
export { loadSiteFiles, MAX_SITE_FILE_BYTES, type SiteFile, type SiteFiles } from './site-files.ts';
export { imageTypeOf, IMAGE_CONTENT_TYPES, type ImageType } from './image-type.ts';
export { DEFAULT_RAW_RESULTS_DAYS, rawResultDaysNeeded } from './retention-rules.ts';

export * from './schema.ts';
export { checkId } from './config-rules.ts';
export { parseConfig, loadConfigFile, formatConfigIssues, type ConfigIssue, type ConfigResult } from './load-config.ts';
export { localize } from './localize.ts';
export { configJsonSchema } from './json-schema.ts';

export { addFigures, computePageReport, freezeDueMonths, monthStatus, reviseFrozenStatements, type PageReport, type ReportLine, type ReportStatus } from './compute-report.ts';
export { toEngineProfile, windowPolicyFor, type EngineProfile } from './engine-profile.ts';
export { reportToCsv } from './report-csv.ts';
export { canonicalJson, contentHash, ENGINE_VERSION, STATEMENT_FORMAT, type Statement } from './statement.ts';

export { addFigures, computePageReport, exportStatement, freezeDueMonths, monthStatus, reviseFrozenStatements, type PageReport, type ReportLine, type ReportStatus } from './compute-report.ts';
export { describeLateResults, LATE_RESULTS_REASON, lateRevisionDue, reviseLateResults, type LateArrivals, type LateRevision } from './late-results.ts';
export { toEngineProfile, windowPolicyFor, type EngineProfile } from './engine-profile.ts';
export { reportToCsv } from './report-csv.ts';
export { canonicalJson, contentHash, ENGINE_VERSION, STATEMENT_FORMAT, type Statement } from './statement.ts';
export { AvailabilityFiguresSchema, computeStatementFigures, parseStatementDocument, StatementDocument, verifyStatement, type DocumentIssue, type FigureDifference } from './statement-document.ts';
export { statementJsonSchema } from './statement-json-schema.ts';
export { computeReportDocument, type ReportDocument } from './report-document.ts';

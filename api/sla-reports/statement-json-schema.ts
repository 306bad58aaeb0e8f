import { z } from 'zod';
import { StatementDocument } from './statement-document.ts';

/** The JSON Schema of an SLA statement document. Rules across fields (non-overlapping states) are checked by `sla verify`. */
export function statementJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(StatementDocument, { io: 'input', target: 'draft-2020-12', unrepresentable: 'any' }),
    $id: 'https://statusvakt.invalid/sla-statement.schema.json',
    title: 'Statusvakt SLA statement',
    description: 'An SLA statement: its period, coverage (with the closed days it used), state intervals, service windows, exclusions, target and the figures computed from them. Generated from api/sla-reports/statement-document.ts; do not edit.',
  };
}

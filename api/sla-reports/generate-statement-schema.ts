// Writes docs/sla-statement.schema.json from the zod schema of statement documents.
import { writeFileSync } from 'node:fs';
import { statementJsonSchema } from './statement-json-schema.ts';

const file = new URL('../../docs/sla-statement.schema.json', import.meta.url);
writeFileSync(file, `${JSON.stringify(statementJsonSchema(), null, 2)}\n`);
process.stdout.write(`wrote ${file.pathname}\n`);

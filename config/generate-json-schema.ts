// Writes config/statusvakt.schema.json from the zod schema: `npm run schema:generate`.
import { writeFileSync } from 'node:fs';
import { configJsonSchema } from './json-schema.ts';

const file = new URL('./statusvakt.schema.json', import.meta.url);
writeFileSync(file, `${JSON.stringify(configJsonSchema(), null, 2)}\n`);
process.stdout.write(`wrote ${file.pathname}\n`);

import { z } from 'zod';
import { StatusvaktConfig } from './schema.ts';

/** The JSON Schema of the config file (input side: defaults make fields optional), for editors. */
export function configJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(StatusvaktConfig, { io: 'input', target: 'draft-2020-12', unrepresentable: 'any' });
  return {
    ...schema,
    $id: 'https://statusvakt.invalid/statusvakt.schema.json',
    title: 'Statusvakt configuration',
    description: 'Organisations, status pages, component groups, components, checks and SLA profiles. Generated from config/schema.ts; do not edit.',
  };
}

/** The impact fields of the console's publish form are named `impact:<componentId>`; an empty choice keeps what the last update declared. */
export const IMPACT_FIELD = 'impact:';

/** The impacts chosen in a posted form, as the API takes them; nothing when none was chosen. */
export function readImpact(form: FormData): { impact?: Record<string, string> } {
  const chosen = [...form.entries()].filter(([name, value]) => name.startsWith(IMPACT_FIELD) && typeof value === 'string' && value !== '');
  return chosen.length > 0 ? { impact: Object.fromEntries(chosen.map(([name, value]) => [name.slice(IMPACT_FIELD.length), String(value)])) } : {};
}

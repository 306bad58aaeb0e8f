import { describe, expect, it } from 'vitest';
import { apiErrors } from './console-i18n/api-errors.ts';
import { CONSOLE_LANGUAGES } from './console-i18n/index.ts';
import { apiProblem, explainProblem, PROBLEM_KEYS, UNKNOWN_KEYS } from './console-errors.ts';

const refusal = (code: string, message: string, details?: unknown) => apiProblem({ error: { code, message, requestId: 'r', ...(details ? { details } : {}) } });

describe('the API refusals the console says in its own language', () => {
  const mapped = [...Object.values(UNKNOWN_KEYS).flatMap((k) => [k.one, ...(k.other ? [k.other] : [])]), ...Object.values(PROBLEM_KEYS)];

  it.each(CONSOLE_LANGUAGES.filter((l) => l !== 'en'))('every mapped key is written in %s, and not left in English', (language) => {
    for (const key of mapped) {
      expect(apiErrors[language][key]?.trim(), `${language}.${key}`).toBeTruthy();
      expect(apiErrors[language][key], `${language}.${key}`).not.toBe(apiErrors.en[key]);
    }
  });

  it.each([
    ['an unknown component', refusal('NOT_FOUND', 'no component "x"', { kind: 'component', id: 'x' }), 'Ingen komponent hedder “x”.'],
    ['unknown components', refusal('VALIDATION', 'unknown components: x, y', { kind: 'component', ids: ['x', 'y'] }), 'Ingen komponenter hedder “x”, “y”.'],
    ['an unknown organisation', refusal('VALIDATION', 'no organisation "nowhere"; there are: …', { kind: 'organisation', ids: ['nowhere'] }), 'Ingen organisation hedder “nowhere”.'],
    ['an unknown window', refusal('NOT_FOUND', 'no service window "w"', { kind: 'window', id: 'w' }), 'Servicevinduet “w” findes ikke; det kan være aflyst.'],
    ['a stale version', refusal('CONFLICT', 'the incident changed since you read it', { problem: 'stale_version', version: 4, sent: 3 }), 'En anden har ændret hændelsen, efter du åbnede den (den er nu version 4). Genindlæs siden, se hvad der er ændret, og offentliggør igen.'],
    ['two changes at one moment', refusal('CONFLICT', 'another change to the same record happened at the same moment; …', { problem: 'concurrent_change' }), 'En anden ændrede det samme i samme øjeblik; intet af dit blev gemt. Send det igen.'],
    ['a resolved incident', refusal('CONFLICT', 'the incident was resolved at …', { problem: 'resolved' }), 'Hændelsen er løst: kun trinnene “i drift igen” og rapporten efter hændelsen kan følge.'],
    ['impact outside the incident', refusal('VALIDATION', 'impact names components…', { problem: 'not_in_incident', field: 'impact', ids: ['epj'] }), 'Påvirkningen nævner komponenter, der ikke er med i hændelsen: “epj”.'],
    ['a time without its zone', refusal('VALIDATION', 'invalid request: from: …', { issues: ['from: …'], fields: [{ field: 'from', problem: 'invalid_time' }] }), 'from: tidspunktet kan ikke læses; angiv dato og klokkeslæt.'],
    ['an unknown zone', refusal('VALIDATION', 'invalid request: zone: …', { fields: [{ field: 'zone', problem: 'invalid_zone' }] }), 'zone: ikke en kendt tidszone; vælg en fra listen.'],
  ])('says %s in Danish, with the English kept beside it', (_what, problem, danish) => {
    expect(explainProblem(problem, 'da')).toEqual({ text: danish, english: problem.message });
  });

  it('shows a refusal it does not know as the API wrote it, marked English', () => {
    const problem = refusal('FORBIDDEN', 'this needs the admin role; you are operator');
    expect(explainProblem(problem, 'it')).toEqual({ text: 'this needs the admin role; you are operator', lang: 'en' });
    // fields refused for different reasons are not summed up as one of them
    expect(explainProblem(refusal('VALIDATION', 'invalid request: …', { fields: [{ field: 'from', problem: 'invalid_time' }, { field: 'limit', problem: 'invalid' }] }), 'sv')).toMatchObject({ lang: 'en' });
  });

  it('leaves the console’s own words, and English for an English console, as they are', () => {
    expect(explainProblem({ message: 'Vælg mindst én komponent.' }, 'da')).toEqual({ text: 'Vælg mindst én komponent.' });
    expect(explainProblem('Vælg organisationerne.', 'da')).toEqual({ text: 'Vælg organisationerne.' });
    expect(explainProblem(refusal('NOT_FOUND', 'no component "x"; GET /api/v1/components lists them', { kind: 'component', id: 'x' }), 'en')).toEqual({ text: 'no component "x"; GET /api/v1/components lists them' });
  });

  it('reads a body without an error as a failed request', () => {
    expect(apiProblem(null)).toEqual({ code: 'INTERNAL', message: 'the request failed' });
  });
});

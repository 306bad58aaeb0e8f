// Lint: TypeScript rules plus the folder boundaries of the data flow.
import tseslint from 'typescript-eslint';

const FOLDERS = ['config', 'probe', 'api', 'alerts', 'db', 'status-site', 'cli'];

/** Folders each folder must never import, whatever the file: the data flow in DESIGN.md. */
const FORBIDDEN = {
  config: ['probe', 'api', 'alerts', 'db', 'status-site', 'cli'],
  probe: ['api', 'alerts', 'db', 'status-site', 'cli'],
  db: ['probe', 'api', 'alerts', 'status-site', 'cli'],
  api: ['alerts', 'status-site', 'cli'],
  alerts: ['status-site', 'cli'],
  'status-site': ['db', 'probe', 'alerts', 'cli'],
};

/** Another folder is reached only through its index.ts, its public surface. */
function boundaryRules(folder) {
  const others = FOLDERS.filter((f) => f !== folder);
  const patterns = [
    {
      regex: `^(\\.\\./)+(${others.join('|')})/(?!index\\.ts$).+`,
      message: 'Import another folder through its index.ts only.',
    },
  ];
  const forbidden = FORBIDDEN[folder] ?? [];
  if (forbidden.length > 0) {
    patterns.push({
      regex: `^(\\.\\./)+(${forbidden.join('|')})/`,
      message: `${folder}/ must not depend on ${forbidden.join(', ')}/ (see DESIGN.md, data flow).`,
    });
  }
  return { 'no-restricted-imports': ['error', { patterns }] };
}

export default tseslint.config(
  { ignores: ['node_modules/', 'status-site/dist/', 'status-site/.astro/', 'data/', 'db/migrations/'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        { selector: "MemberExpression[object.name='process'][property.name='env']", message: 'Read the environment once, in cli/env.ts.' },
      ],
    },
  },
  { files: ['cli/env.ts', 'cli/main.ts', 'tests/**', 'bench/**', 'bin/**', 'drizzle.config.ts'], rules: { 'no-restricted-syntax': 'off' } },
  { files: ['tests/**', '**/*.test.ts'], rules: { '@typescript-eslint/no-explicit-any': 'off' } },
  ...FOLDERS.map((folder) => ({ files: [`${folder}/**/*.ts`, `${folder}/**/*.js`], rules: boundaryRules(folder) })),
);

export { IMPACTS, defaultImpact, shownStatus, worstDeclared, type Declared, type Impact, type Shown } from './shown-status.ts';
export { loadDeclaredStatuses } from './load-declared.ts';
export { clearComponentStatus, listComponentStatuses, setComponentStatus } from './status-overrides.ts';
export { componentStatusRoutes } from './routes.ts';
export { applyDependencies, type DependencyReading, type DependencyReason } from './dependency-status.ts';
export { loadDependencies, type DependedOn } from './load-dependencies.ts';

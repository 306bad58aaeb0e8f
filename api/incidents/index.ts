export { acknowledgeIncident, incidentView, listIncidents, loadIncident, openIncident, publishUpdate, type IncidentStatus } from './incident-service.ts';
export { syncAutomaticIncidents } from './automatic-incidents.ts';
export { communicationClock, DEFAULT_PLAN, STEPS, type Priority, type Step } from './communication-plan.ts';
export { renderTemplate, TEMPLATE_LANGUAGES } from './templates.ts';
export { incidentFulfilment, type Fulfilment } from './fulfilment.ts';
export { mergeIncidents, retitleIncident, splitIncident } from './regroup-incidents.ts';
export { regroupRoutes } from './regroup-routes.ts';
export { automaticTitle } from './automatic-title.ts';

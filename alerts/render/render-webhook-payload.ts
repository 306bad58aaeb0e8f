import type { IncidentUpdatePayload, NotificationKind, WindowPayload } from '../../api/index.ts';
import { localize, type Language } from '../../config/index.ts';

const IMPACT: Record<string, string> = { A: 'major', B: 'minor', C: 'minor', D: 'none' };
const WINDOW_STATUS: Record<Exclude<NotificationKind, 'incident_update'>, string> = { window_announced: 'scheduled', window_started: 'in_progress', window_ended: 'completed', window_cancelled: 'cancelled' };

/**
 * The JSON body of a webhook, in the shape of Statuspage's `incident`
 * webhooks (a service window is an incident with impact `maintenance`), so
 * receivers written for Statuspage read it unchanged. Texts in the page's
 * default language. Pure.
 */
export function renderWebhookPayload(args: { kind: NotificationKind; payload: IncidentUpdatePayload | WindowPayload; pageId: string; deliveryId: string }) {
  const page = args.payload.pages.find((p) => p.id === args.pageId) ?? args.payload.pages[0]!;
  const lang = page.defaultLanguage as Language;
  const components = args.payload.components.filter((c) => c.pageId === page.id).map((c) => ({ id: c.id, name: localize(c.name, lang) }));
  const meta = { unsubscribe: null, documentation: null, generated_by: 'Statusvakt', delivery_id: args.deliveryId, event: args.kind };
  if (args.kind === 'incident_update') {
    const p = args.payload as IncidentUpdatePayload;
    const body = p.update.body[lang] ?? Object.values(p.update.body)[0] ?? '';
    return {
      meta,
      page: { id: page.id, status_indicator: p.update.status === 'resolved' || p.update.status === 'postmortem' ? 'none' : IMPACT[p.incident.priority] ?? 'minor', status_description: localize(page.name, lang) },
      incident: {
        id: p.incident.id,
        name: localize(p.incident.title, lang),
        status: p.update.status,
        impact: IMPACT[p.incident.priority] ?? 'minor',
        updated_at: p.update.publishedAt,
        resolved_at: p.update.status === 'resolved' ? p.update.publishedAt : null,
        incident_updates: [{ id: p.update.id, status: p.update.status, body, created_at: p.update.publishedAt, display_at: p.update.publishedAt, incident_id: p.incident.id }],
        components,
      },
    };
  }
  const w = (args.payload as WindowPayload).window;
  return {
    meta,
    page: { id: page.id, status_indicator: args.kind === 'window_started' ? 'maintenance' : 'none', status_description: localize(page.name, lang) },
    incident: {
      id: w.id,
      name: localize(w.title, lang),
      status: WINDOW_STATUS[args.kind],
      impact: 'maintenance',
      scheduled_for: w.plannedStart,
      scheduled_until: w.extendedUntil ?? w.plannedEnd,
      started_at: w.actualStart,
      resolved_at: w.actualEnd,
      incident_updates: [],
      components,
    },
  };
}

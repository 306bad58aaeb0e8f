import type { ComponentUpdatePayload, IncidentUpdatePayload, NoticePayload, NotificationKind, WindowPayload } from '../../api/index.ts';
import { localize, type Language } from '../../config/index.ts';
import { renderComponentUpdate } from './render-component-update.ts';

const IMPACT: Record<string, string> = { A: 'major', B: 'minor', C: 'minor', D: 'none' };
const WINDOW_STATUS: Record<Exclude<NotificationKind, 'incident_update' | 'component_update' | 'third_party_notice'>, string> = { window_announced: 'scheduled', window_started: 'in_progress', window_overrunning: 'in_progress', window_ended: 'completed', window_cancelled: 'cancelled' };

/**
 * The JSON body of a webhook, in the shape of Statuspage's `incident`
 * webhooks (a service window is an incident with impact `maintenance`), so
 * receivers written for Statuspage read it unchanged. Texts in the page's
 * default language, or, where an operator did not write that one, another,
 * with `language` beside each saying which. A `component_update` has
 * Statuspage's component shape instead (see renderComponentUpdate). Pure.
 */
export function renderWebhookPayload(args: { kind: NotificationKind; payload: IncidentUpdatePayload | WindowPayload | ComponentUpdatePayload | NoticePayload; pageId: string; deliveryId: string }) {
  // a component's shown status changed: Statuspage's component webhook
  if (args.kind === 'component_update') return renderComponentUpdate({ payload: args.payload as ComponentUpdatePayload, deliveryId: args.deliveryId });
  if (args.kind === 'third_party_notice') return renderNoticeWebhook(args.payload as NoticePayload, args.pageId, args.deliveryId);
  const kind = args.kind;
  const payload = args.payload as IncidentUpdatePayload | WindowPayload;
  const page = payload.pages.find((p) => p.id === args.pageId) ?? payload.pages[0]!;
  const lang = page.defaultLanguage as Language;
  const components = payload.components.filter((c) => c.pageId === page.id).map((c) => ({ id: c.id, name: localize(c.name, lang) }));
  const meta = { unsubscribe: null, documentation: null, generated_by: 'Statusvakt', delivery_id: args.deliveryId, event: kind };
  if (kind === 'incident_update') {
    const p = payload as IncidentUpdatePayload;
    const body = textIn(p.update.body, lang);
    const name = textIn(p.incident.title, lang);
    return {
      meta,
      page: { id: page.id, status_indicator: p.update.status === 'resolved' || p.update.status === 'postmortem' ? 'none' : IMPACT[p.incident.priority] ?? 'minor', status_description: localize(page.name, lang) },
      incident: {
        id: p.incident.id,
        name: name.text,
        language: name.language,
        status: p.update.status,
        impact: IMPACT[p.incident.priority] ?? 'minor',
        updated_at: p.update.publishedAt,
        resolved_at: p.update.status === 'resolved' ? p.update.publishedAt : null,
        incident_updates: [{ id: p.update.id, status: p.update.status, body: body.text, language: body.language, created_at: p.update.publishedAt, display_at: p.update.publishedAt, incident_id: p.incident.id }],
        components,
      },
    };
  }
  const w = (payload as WindowPayload).window;
  const name = textIn(w.title, lang);
  const description = w.description ? textIn(w.description, lang) : undefined;
  return {
    meta,
    page: { id: page.id, status_indicator: kind === 'window_started' || kind === 'window_overrunning' ? 'maintenance' : 'none', status_description: localize(page.name, lang) },
    incident: {
      id: w.id,
      name: name.text,
      language: name.language,
      status: WINDOW_STATUS[kind],
      impact: 'maintenance',
      scheduled_for: w.plannedStart,
      scheduled_until: w.extendedUntil ?? w.plannedEnd,
      started_at: w.actualStart,
      resolved_at: w.actualEnd,
      // the description as the announcement, where Statuspage carries a maintenance's text
      incident_updates: description ? [{ id: `${w.id}-announcement`, status: 'scheduled', body: description.text, language: description.language, created_at: w.plannedStart, display_at: w.plannedStart, incident_id: w.id }] : [],
      components,
    },
  };
}

/** An operator's text in `language`, else any written one, with the language it is in. A plain string counts as `language`. */
function textIn(value: string | Record<string, string>, language: string): { text: string; language: string } {
  if (typeof value === 'string') return { text: value, language };
  if (value[language]) return { text: value[language], language };
  const [first] = Object.entries(value);
  return first ? { text: first[1], language: first[0] } : { text: '', language };
}

/**
 * A third party's notice as a webhook: Statuspage has no such event, so it
 * has a shape of its own beside `meta`, with the third party's text as it came.
 */
function renderNoticeWebhook(payload: NoticePayload, pageId: string, deliveryId: string) {
  const page = payload.pages.find((p) => p.id === pageId) ?? payload.pages[0]!;
  const lang = page.defaultLanguage as Language;
  const n = payload.notice;
  return {
    meta: { unsubscribe: null, documentation: null, generated_by: 'Statusvakt', delivery_id: deliveryId, event: 'third_party_notice' },
    page: { id: page.id, status_description: localize(page.name, lang) },
    third_party_notice: {
      id: n.id,
      change: payload.change,
      third_party: { id: payload.thirdParty.id, name: localize(payload.thirdParty.name, lang) },
      kind: n.kind,
      impact: n.impact,
      title: n.title,
      body: n.body,
      url: n.url,
      starts_at: n.startsAt,
      ends_at: n.endsAt,
      last_seen_at: n.lastSeenAt,
      ended_at: n.endedAt,
      components: payload.components.filter((c) => c.pageId === page.id).map((c) => ({ id: c.id, name: localize(c.name, lang) })),
    },
  };
}

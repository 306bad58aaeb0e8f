import type { AlertPayload } from '../../api/index.ts';
import { escapeHtml, type RenderedMail } from './layout.ts';

/** What every channel says about an alert; each channel lays it out in its own format. */
export type RenderedAlert = {
  title: string;
  text: string;
  /** critical: act now; warning: act soon; resolved: it is over; info: for the record. */
  severity: 'critical' | 'warning' | 'resolved' | 'info';
  facts: [string, string][];
  url: string | null;
};

const SEVERITY: Record<AlertPayload['event'], RenderedAlert['severity']> = {
  component_down: 'critical',
  component_degraded: 'warning',
  component_up: 'resolved',
  incident_opened: 'warning',
  incident_resolved: 'resolved',
  incident_unacknowledged: 'critical',
  communication_due: 'warning',
  communication_overdue: 'critical',
  reaction_near: 'warning',
  reaction_breached: 'critical',
  window_overrunning: 'warning',
  certificate_expiring: 'warning',
  region_silent: 'warning',
  region_unhealthy: 'warning',
  cloudwatch_credentials: 'critical',
  third_party_notice: 'info',
  test: 'info',
};

const minutesUntil = (iso: string | number | null | undefined, at: string) => Math.round((new Date(String(iso)).getTime() - new Date(at).getTime()) / 60_000);

/**
 * The words of an operator alert (English: read by the organisation's staff
 * on duty). Pure: the payload is a snapshot.
 *
 * @example renderAlert({ event: 'component_down', components: [{ id: 'sso', name: 'Single sign-on' }], … }, { consoleUrl }).title // 'DOWN: Single sign-on'
 */
export function renderAlert(payload: AlertPayload, links: { consoleUrl: string | null }): RenderedAlert {
  const names = payload.components.map((c) => c.name).join(', ') || 'no component';
  const d = payload.detail;
  const incident = payload.incident ? `${payload.incident.priority}: ${payload.incident.title}` : '';
  const [title, text] = ((): [string, string] => {
    switch (payload.event) {
      case 'component_down':
        return [`DOWN: ${names}`, `${names} is down by quorum since ${d.since} (was ${d.from ?? 'not measured'}).`];
      case 'component_degraded':
        return [`DEGRADED: ${names}`, `${names} is degraded by quorum since ${d.since} (was ${d.from ?? 'not measured'}).`];
      case 'component_up':
        return [`RESOLVED: ${names} is up`, `${names} is up again since ${d.since} (was ${d.from}).`];
      case 'incident_opened':
        return [`Incident opened: ${incident}`, `Incident ${incident} was opened for ${names}.`];
      case 'incident_resolved':
        return [`RESOLVED: incident ${incident}`, `Incident ${incident} is resolved.`];
      case 'incident_unacknowledged':
        return [`UNACKNOWLEDGED: ${incident}`, `Priority A incident ${incident} on ${names} has not been acknowledged (reminder ${d.round}, registered ${d.registeredAt}). Acknowledge it in the console to stop these reminders.`];
      case 'communication_due':
        return [`Message due in ${minutesUntil(d.dueAt, payload.at)} min: ${d.step}`, `The "${d.step}" message of incident ${incident} is due at ${d.dueAt}.`];
      case 'communication_overdue':
        return [`Message OVERDUE: ${d.step}`, `The "${d.step}" message of incident ${incident} was due at ${d.dueAt} and has not been published.`];
      case 'reaction_near':
        return [`Reaction due in ${minutesUntil(d.dueAt, payload.at)} min: ${incident}`, `Incident ${incident} must be acknowledged by ${d.dueAt}.`];
      case 'reaction_breached':
        return [`Reaction deadline BREACHED: ${incident}`, `Incident ${incident} was not acknowledged by ${d.dueAt}.`];
      case 'window_overrunning':
        return [`Service window overrunning: ${names}`, `The service window on ${names} should have ended at ${d.plannedEnd} and is still open.`];
      case 'certificate_expiring':
        return [`Certificate expiring: ${names}`, `The certificate seen by check "${d.checkId}" of ${names} expires at ${d.notAfter}.`];
      case 'region_silent':
        return [`Probe region silent: ${d.region}`, `Probe region ${d.region} has sent no results since ${d.since}.`];
      case 'region_unhealthy':
        return [`Probe region unhealthy: ${d.region}`, `Probe region ${d.region} disagrees with the others: ${d.reason ?? ''}`];
      case 'cloudwatch_credentials':
        return d.state === 'resolved'
          ? [`RESOLVED: CloudWatch readable again: ${names}`, `Check "${d.checkId}" of ${names} reads CloudWatch again since ${d.since}; its credentials failed from ${d.failedSince}.`]
          : [`CloudWatch credentials failing: ${names}`, `Check "${d.checkId}" of ${names} cannot read CloudWatch (region ${d.regions}) since ${d.since}: ${d.message ?? 'access denied'}. Its state is unknown until the credentials or their permissions are fixed.`];
      case 'third_party_notice': {
        // the third party's own words are data: channels escape them as they escape every field
        const what = d.kind === 'maintenance' ? 'planned maintenance' : 'reports a problem';
        const change = { new: 'new', updated: 'updated', ended: 'ENDED' }[String(d.change) as 'new' | 'updated' | 'ended'] ?? String(d.change);
        const timing = d.kind === 'maintenance' && d.startsAt ? ` Planned from ${d.startsAt}${d.endsAt ? ` to ${d.endsAt}` : ''}.` : '';
        return [`Third party ${change}: ${d.thirdParty} ${what}: ${d.title}`, `${d.thirdParty} ${what} (${d.kind}, impact ${d.impact}): "${d.title}".${timing} Concerns ${names}.${d.url ? ` Source: ${d.url}` : ''}`];
      }
      case 'test':
        return [`Test alert from route ${payload.routeId}`, `This is a test of alert route "${payload.routeId}". If you read this, the channel works.`];
    }
  })();
  const facts: [string, string][] = [['Organisation', payload.organisationId]];
  if (payload.priority) facts.push(['Priority', payload.priority]);
  if (payload.components.length > 0) facts.push(['Components', names]);
  facts.push(['At', payload.at]);
  const url = payload.incident && links.consoleUrl ? `${links.consoleUrl}/incidents/${payload.incident.id}` : links.consoleUrl;
    // a follow-up to an alert says it is over, whatever the event's own severity
  const severity = payload.detail.state === 'resolved' || (payload.event === 'third_party_notice' && payload.detail.change === 'ended') ? 'resolved' : SEVERITY[payload.event];
  return { title, text, severity, facts, url };
}

/** The alert as a plain-text and HTML mail. */
export function renderAlertMail(alert: RenderedAlert): RenderedMail {
  const lines = [alert.text, '', ...alert.facts.map(([k, v]) => `${k}: ${v}`), ...(alert.url ? ['', alert.url] : [])];
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(alert.title)}</title></head><body style="font-family:sans-serif;line-height:1.5;max-width:40em"><h1 style="font-size:20px">${escapeHtml(alert.title)}</h1><p>${escapeHtml(alert.text)}</p><table>${alert.facts.map(([k, v]) => `<tr><th style="text-align:left;padding-right:1em">${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('')}</table>${alert.url ? `<p><a href="${escapeHtml(alert.url)}">Open in Statusvakt</a></p>` : ''}</body></html>`;
  return { subject: `[Statusvakt] ${alert.title}`, text: `${lines.join('\n')}\n`, html };
}

/** The JSON body of a generic alert webhook (signed like the subscribers' webhooks). Pure. */
export function renderAlertWebhookPayload(args: { payload: AlertPayload; alert: RenderedAlert; deliveryId: string }) {
  const p = args.payload;
  return {
    meta: { generated_by: 'Statusvakt', delivery_id: args.deliveryId, kind: 'operator_alert' },
    event: p.event,
    severity: args.alert.severity,
    title: args.alert.title,
    text: args.alert.text,
    organisation: p.organisationId,
    route: p.routeId,
    priority: p.priority,
    components: p.components,
    incident: p.incident,
    detail: p.detail,
    at: p.at,
    url: args.alert.url,
  };
}

import type { ComponentUpdatePayload } from '../../api/index.ts';
import { localize, type Language } from '../../config/index.ts';

/**
 * The JSON body of a `component_update` webhook, in the shape of
 * Statuspage's component webhooks (`meta`, `page`, `component_update`,
 * `component`), so receivers written for Statuspage read it unchanged.
 * Names in the page's default language. Pure.
 *
 * @example renderComponentUpdate({ payload, deliveryId: 'b6f…' }).component_update.new_status // 'major_outage'
 */
export function renderComponentUpdate(args: { payload: ComponentUpdatePayload; deliveryId: string }) {
  const { page, component, componentUpdate } = args.payload;
  const lang = page.defaultLanguage as Language;
  return {
    meta: { unsubscribe: null, documentation: null, generated_at: componentUpdate.createdAt, generated_by: 'Statusvakt', delivery_id: args.deliveryId, event: 'component_update' },
    page: { id: page.id, status_indicator: page.statusIndicator, status_description: page.statusDescription },
    component_update: {
      created_at: componentUpdate.createdAt,
      new_status: componentUpdate.newStatus,
      old_status: componentUpdate.oldStatus,
      id: componentUpdate.id,
      component_id: component.id,
      component_type: 'Component',
    },
    component: {
      id: component.id,
      name: localize(component.name, lang),
      status: component.status,
      created_at: component.createdAt,
      updated_at: componentUpdate.createdAt,
      position: component.position,
      description: component.description ? localize(component.description, lang) : null,
      showcase: true,
      page_id: page.id,
      group_id: component.groupId,
    },
  };
}

import type { OpenAPIHono } from '@hono/zod-openapi';

type Registry = OpenAPIHono['openAPIRegistry'];

/**
 * Documents a route served by a plain handler (one that takes a form as well
 * as JSON, or answers HTML or XML) in /openapi.json, so every route is listed.
 */
export function documentRoute(app: { openAPIRegistry: Registry }, route: { method: 'get' | 'post' | 'delete'; path: string; summary: string; tags: string[]; secured?: boolean; responses: Record<number, { description: string; type?: string }> }) {
  app.openAPIRegistry.registerPath({
    method: route.method,
    path: route.path,
    summary: route.summary,
    tags: route.tags,
    ...(route.secured ? { security: [{ session: [] }, { apiToken: [] }] } : {}),
    responses: Object.fromEntries(Object.entries(route.responses).map(([status, r]) => [status, { description: r.description, ...(r.type ? { content: { [r.type]: { schema: { type: 'string' } } } } : {}) }])),
  });
}

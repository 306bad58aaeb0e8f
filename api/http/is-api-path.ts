/** Paths the API answers; everything else is the status site's. */
export function isApiPath(pathname: string): boolean {
  return (
    pathname.startsWith('/api/') ||
    pathname === '/healthz' ||
    pathname === '/readyz' ||
    pathname === '/metrics' ||
    pathname === '/openapi.json' ||
    /^\/pages\/[^/]+\/api\//.test(pathname)
  );
}

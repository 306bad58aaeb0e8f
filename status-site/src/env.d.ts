declare namespace App {
  interface Locals {
    /** Logos, contact, footer links and region names from the config; absent where a page is rendered without one. */
    branding?: import('../branding/index.ts').SiteBranding;
    /** In-process client of Statusvakt's public JSON API. */
    api: (path: string, init?: { method?: string; headers?: Record<string, string>; body?: unknown }) => Promise<{ status: number; body: unknown; setCookie?: string | null }>;
  }
}

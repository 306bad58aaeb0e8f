declare namespace App {
  interface Locals {
    /** In-process client of Statusvakt's public JSON API. */
    api: (path: string, init?: { method?: string; headers?: Record<string, string>; body?: unknown }) => Promise<{ status: number; body: unknown; setCookie?: string | null }>;
  }
}

declare namespace App {
  interface Locals {
    /** In-process client of Statusvakt's public JSON API. */
    api: (path: string) => Promise<{ status: number; body: unknown }>;
  }
}

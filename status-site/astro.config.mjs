import node from '@astrojs/node';
import { defineConfig } from 'astro/config';

// Server-rendered in middleware mode: the Statusvakt server owns the HTTP port
// and hands every non-API request to the handler this builds.
export default defineConfig({
  output: 'server',
  adapter: node({ mode: 'middleware' }),
  // styles inline, so the page needs no static files and works behind any cache
  build: { inlineStylesheets: 'always' },
  telemetry: false,
  devToolbar: { enabled: false },
  vite: { server: { fs: { allow: ['..'] } } },
});

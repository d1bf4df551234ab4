import { defineConfig } from 'vite';

// The UI's own folder, whatever directory the build is started from.
const root = decodeURIComponent(new URL('.', import.meta.url).pathname);

/**
 * The production bundle the agent serves at /ui/ (src/ui-server). No dev server, no CDN:
 * everything the page loads comes from dist/ui. Preact's JSX runtime, no plugin needed.
 */
export default defineConfig({
  root,
  base: '/ui/',
  logLevel: 'warn',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: '../dist/ui',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    // Everything lands in assets/ with a content hash, so the agent can cache it forever.
    assetsInlineLimit: 0,
  },
});

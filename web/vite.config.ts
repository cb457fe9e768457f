import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

/** The app in dev mode (`npm run dev:server`); override with API_ORIGIN. */
const API_ORIGIN = process.env.API_ORIGIN ?? 'http://localhost:3000';

/** As the Nest app does in production: every /s/{token} is the survey page. */
function surveyPageRoute(): Plugin {
  return {
    name: 'survey-page-route',
    configureServer(server) {
      server.middlewares.use((req, _res, next) => {
        if (req.url && /^\/s\/[^/?#.]+(\?|$)/.test(req.url)) req.url = '/s/index.html';
        next();
      });
    },
  };
}

/**
 * The survey page is written against React's API but runs on preact/compat: React DOM alone is
 * over 60 KB gzipped, the page's whole budget (issue 15). Only imports from web/src/survey/ are
 * redirected; the console keeps React itself.
 */
const REACT_ON_PREACT: Record<string, string> = {
  react: 'preact/compat',
  'react-dom': 'preact/compat',
  'react-dom/client': 'preact/compat/client',
  'react/jsx-runtime': 'preact/jsx-runtime',
  'react/jsx-dev-runtime': 'preact/jsx-dev-runtime',
};
const SURVEY_SOURCES = resolve(import.meta.dirname, 'src/survey');

function surveyOnPreact(): Plugin {
  return {
    name: 'survey-on-preact',
    enforce: 'pre',
    resolveId(source, importer, options) {
      const target = REACT_ON_PREACT[source];
      if (!target || !importer?.startsWith(SURVEY_SOURCES)) return null;
      return this.resolve(target, importer, { ...options, skipSelf: true });
    },
  };
}

export default defineConfig({
  root: import.meta.dirname,
  plugins: [surveyOnPreact(), react({ exclude: /\/src\/survey\// }), surveyPageRoute()],
  server: {
    proxy: Object.fromEntries(['/api', '/docs', '/health', '/admin'].map((path) => [path, API_ORIGIN])),
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The console's shared UI-kit chunk (antd) is about 600 KB before gzip; what a browser loads
    // first is budgeted in gzipped bytes by test/browser/bundle-size.browser-spec.ts instead.
    chunkSizeWarningLimit: 700,
    rolldownOptions: {
      input: {
        console: resolve(import.meta.dirname, 'index.html'),
        survey: resolve(import.meta.dirname, 's/index.html'),
      },
    },
  },
});

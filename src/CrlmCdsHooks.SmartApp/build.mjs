// Bundles the SMART app into the service's wwwroot/smart: two scripts, the pages and the stylesheet.
// Everything the browser loads is produced here from the lockfile's packages; nothing comes from a CDN.
import { build } from 'esbuild';
import { cp, mkdir, rm } from 'node:fs/promises';

const out = new URL('../CrlmCdsHooks.Api/wwwroot/smart/', import.meta.url);
await rm(out, { recursive: true, force: true });
await mkdir(out, { recursive: true });
await cp(new URL('./public/', import.meta.url), out, { recursive: true });
await build({
  entryPoints: { launch: 'src/launch.js', assessment: 'src/assessment.js' },
  outdir: out.pathname,
  bundle: true,
  minify: true,
  sourcemap: true,
  format: 'iife',
  target: 'es2020',
  // fhirclient's "pure" build: no fetch/AbortController polyfills, which current browsers do not need.
  define: { FHIRCLIENT_PURE: 'true' },
  logLevel: 'warning',
});

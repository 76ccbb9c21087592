import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import path from 'node:path';

import lwc from '@lwc/rollup-plugin';
import replace from '@rollup/plugin-replace';
import { type Plugin, rollup } from 'rollup';

const HERE = __dirname;
const ROOT = path.join(HERE, '../../..');
const LWC_DIR = path.join(HERE, '../force-app/main/default/lwc');
const SLDS = path.join(
  ROOT,
  'node_modules/@salesforce-ux/design-system/assets/styles/salesforce-lightning-design-system.min.css',
);

/** Imports the platform provides in an org, here: Apex through the adapter, the toast event, the page reference. */
function platformStandIns(): Plugin {
  return {
    name: 'partnerlens-platform',
    resolveId(id) {
      if (id.startsWith('@salesforce/apex/'))
        return `\0apex:${id.slice('@salesforce/apex/'.length)}`;
      if (id === 'lightning/platformShowToastEvent') return path.join(HERE, 'toast.js');
      if (id === 'lightning/navigation') return path.join(HERE, 'navigation.js');
      return null;
    },
    load(id) {
      if (!id.startsWith('\0apex:')) return null;
      const method = id.slice('\0apex:'.length);
      return `import { callApex } from ${JSON.stringify(path.join(HERE, 'apex-adapter.js'))};
export default (params) => callApex(${JSON.stringify(method)}, params);`;
    },
  };
}

/** The two components, compiled by the LWC compiler with Salesforce's lightning-base-components. */
export async function buildPreview(): Promise<string> {
  const components = readdirSync(LWC_DIR).map((name) => ({
    name: `c/${name}`,
    path: path.join(LWC_DIR, name, `${name}.js`),
  }));
  const bundle = await rollup({
    input: path.join(HERE, 'main.js'),
    plugins: [
      platformStandIns(),
      // lightning-base-components asks import.meta.env.SSR whether it runs on a server.
      replace({
        preventAssignment: true,
        values: { 'process.env.NODE_ENV': '"development"', 'import.meta.env.SSR': 'false' },
      }),
      lwc({
        modules: [...components, { npm: 'lightning-base-components' }],
        rootDir: HERE,
        enableSyntheticElementInternals: true,
      }),
    ],
    onwarn: () => undefined,
  });
  const { output } = await bundle.generate({ format: 'iife', inlineDynamicImports: true });
  await bundle.close();
  return output[0].code;
}

const page = (dealId: string) => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>PartnerLens for Salesforce: preview</title>
<link rel="stylesheet" href="/slds.css">
<style>body{background:#f3f3f3}main{display:grid;grid-template-columns:minmax(0,5fr) minmax(0,7fr);gap:1rem;padding:1rem}#toasts{position:fixed;top:1rem;right:1rem;z-index:10}</style>
</head>
<body class="slds-scope">
<header class="slds-page-header"><h1 class="slds-page-header__title">PartnerLens for Salesforce: opportunity ${dealId} and the partner triage, on the running demo</h1></header>
<div id="toasts" aria-live="polite"></div>
<main><section id="card" aria-label="Opportunity card"></section><section id="triage" aria-label="Partner triage"></section></main>
<script>window.PARTNERLENS_PREVIEW = ${JSON.stringify({ dealId })};</script>
<script src="/preview.js"></script>
</body>
</html>`;

export interface Preview {
  url: string;
  close(): Promise<void>;
}

/**
 * Serves the preview and forwards /preview-api/… to the PartnerLens API with the API key, in
 * place of the Named Credential.
 */
export async function startPreview(options: {
  apiUrl: string;
  apiKey: string;
  dealId: string;
  port?: number;
}): Promise<Preview> {
  const script = await buildPreview();
  const server: Server = createServer((req, res) => {
    const url = req.url ?? '/';
    if (url.startsWith('/preview-api/')) {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        fetch(`${options.apiUrl}/api/v1/${url.slice('/preview-api/'.length)}`, {
          method: req.method,
          headers: {
            authorization: `Bearer ${options.apiKey}`,
            ...(req.headers['content-type'] ? { 'content-type': req.headers['content-type'] } : {}),
          },
          body: chunks.length > 0 ? Buffer.concat(chunks) : undefined,
        }).then(
          async (answer) => {
            res.writeHead(answer.status, { 'content-type': 'application/json' });
            res.end(await answer.text());
          },
          (error: Error) => {
            res.writeHead(502, { 'content-type': 'application/json' });
            res.end(
              JSON.stringify({
                error: {
                  code: 'PARTNERLENS.UNREACHABLE',
                  message: `PartnerLens did not answer: ${error.message}`,
                },
              }),
            );
          },
        );
      });
      return;
    }
    if (url === '/preview.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    } else if (url === '/slds.css') {
      res.writeHead(200, { 'content-type': 'text/css' }).end(readFileSync(SLDS));
    } else if (url.startsWith('/assets/')) {
      // SLDS's icons and fonts, referenced relative to its stylesheet.
      const file = path.join(path.dirname(SLDS), '..', url.slice('/assets/'.length).split('?')[0]!);
      try {
        res.writeHead(200).end(readFileSync(file));
      } catch {
        res.writeHead(404).end();
      }
    } else if (url === '/' || url.startsWith('/?')) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page(options.dealId));
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 3100, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const argument = (name: string) => {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : undefined;
};

if (require.main === module) {
  const apiKey = argument('api-key') ?? process.env.PARTNERLENS_API_KEY;
  if (!apiKey) {
    process.stderr.write(
      'Run `npm start`, then: npm run preview:salesforce -- --api-key pl_… [--api http://127.0.0.1:3000] [--deal 30000000001] [--port 3100]\n',
    );
    process.exit(1);
  }
  startPreview({
    apiUrl: argument('api') ?? 'http://127.0.0.1:3000',
    apiKey,
    dealId: argument('deal') ?? '30000000001',
    port: Number(argument('port') ?? 3100),
  }).then(
    (preview) => process.stdout.write(`PartnerLens for Salesforce preview: ${preview.url}\n`),
    (error: unknown) => {
      process.stderr.write(`${String((error as Error).stack ?? error)}\n`);
      process.exit(1);
    },
  );
}

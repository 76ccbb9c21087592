import { escapeHtml as escape } from '../lib/escape-html';

/**
 * The page an admin lands on after an install (or a failed one): what happened, and what to do
 * next, in plain HTML (no framework, no script). Every text is escaped.
 */
export function installPage(page: {
  ok: boolean;
  title: string;
  paragraphs: string[];
  next?: string[];
}): string {
  const colour = page.ok ? '#0a7d32' : '#b3261e';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(page.title)} · PartnerLens</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;color:#1d1d1f}h1{color:${colour};font-size:1.5rem}code{background:#f2f2f2;padding:0 .25rem}</style>
</head><body>
<h1>${escape(page.title)}</h1>
${page.paragraphs.map((p) => `<p>${escape(p)}</p>`).join('\n')}
${page.next && page.next.length > 0 ? `<h2>What next</h2>\n<ol>${page.next.map((n) => `<li>${escape(n)}</li>`).join('')}</ol>` : ''}
</body></html>
`;
}

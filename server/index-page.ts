/**
 * The page at `/`: what this server serves, as links a person can follow. Only addresses that
 * answer are links: a mounted folder with an `index.html` (an example site), the drop-in
 * script when the library is mounted, and the agent console when it needs no key. A console
 * with a key is named, not linked: the key is in the address the server printed when it
 * started, and this page, which anyone who reaches the server can read, must not carry it.
 *
 * @module
 */
import type { ServerResponse } from 'node:http';
import { escapeHtml } from './history';
import { send } from './http-util';
import { pageNonce, pageSecurityHeaders } from './page-security';
import type { StaticFiles } from './static-files';

/** What the index page lists. */
export interface IndexPageDeps {
  readonly basePath: string;
  readonly staticFiles: StaticFiles;
  /** The console page's path and whether it needs its key; `undefined` when it is off. */
  readonly console: { readonly path: string; readonly keyRequired: boolean } | undefined;
}

/** Where the library's drop-in script is, when `/dist/` is mounted. */
const DROP_IN = '/dist/CentionChatAPI.js';

const STYLE = 'body{font:15px/1.5 system-ui,sans-serif;margin:2rem;max-width:46rem}code{overflow-wrap:anywhere}';

function link(path: string, text: string): string {
  return `<li><a href="${escapeHtml(path)}">${escapeHtml(text)}</a></li>`;
}

/** Sends the index page. */
export async function sendIndexPage(res: ServerResponse, deps: IndexPageDeps): Promise<void> {
  const consolePath = deps.console?.path;
  const sites: string[] = [];
  for (const path of [...deps.staticFiles.urlPaths].sort()) {
    if (path !== consolePath && (await deps.staticFiles.has(`${path}index.html`))) sites.push(link(path, path));
  }
  const items = [...sites];
  if (await deps.staticFiles.has(DROP_IN)) items.push(link(DROP_IN, `${DROP_IN} (the drop-in script of the Cention Chat API 5.1.0)`));
  if (deps.console && !deps.console.keyRequired) items.push(link(deps.console.path, `${deps.console.path} (the agent console)`));
  const consoleNote =
    deps.console?.keyRequired === true
      ? `<p>The agent console (<code>${escapeHtml(deps.console.path)}</code>) needs its key: open it through the address the server printed when it started (<code>${escapeHtml(deps.console.path)}#key=…</code>).</p>`
      : '';
  const nonce = pageNonce();
  send(
    res,
    200,
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Cention chat reference server</title><link rel="icon" href="data:,"><style nonce="${nonce}">${STYLE}</style></head>
<body>
<h1>Cention chat reference server</h1>
<p>baseURL: <code>${escapeHtml(deps.basePath)}</code> on this origin.</p>
<ul>${items.join('')}</ul>
${consoleNote}
</body></html>`,
    { 'Content-Type': 'text/html; charset=utf-8', ...pageSecurityHeaders(nonce) },
  );
}

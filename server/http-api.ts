/**
 * The HTTP side (docs/protocol.md §7): `canchat`, `savehistory`, `printhistory`, upload, download,
 * behind the origin check; then the agent console's config, the static mounts and an index
 * page. socket.io answers its own path before a request gets here.
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { CanChatResult } from '../core/protocol';
import { WIRE_ERRORS, invalidInput } from '../core/protocol';
import type { Clock } from '../core/clock';
import type { Area } from './areas';
import { errorText } from './bad-input';
import type { ChatHub } from './chat-hub';
import type { BrowserKeys } from './cookies';
import type { OriginPolicy } from './origin';
import type { SessionStore } from './sessions';
import type { StaticFiles } from './static-files';
import type { UploadContext } from './uploads';
import { handleUpload, sendDownload } from './uploads';
import { historyHtml, historyText, escapeHtml } from './history';
import { attachmentDisposition, param, secretsMatch, send, sendJson } from './http-util';

/** Where the HTTP routes of a workspace live, from its base path `P` (`/s/<workspace>`). */
export function httpPaths(basePath: string) {
  return {
    api: `${basePath}/socket/external.api/`,
    upload: `${basePath}/Cention/web/chat/client/uploadAttachment`,
    download: `${basePath}/Cention/web/chat/client/download`,
  } as const;
}

/** What the HTTP routes need. */
export interface HttpDeps {
  readonly basePath: string;
  readonly clock: Clock;
  readonly areas: ReadonlyMap<number, Area>;
  readonly hub: ChatHub;
  readonly store: SessionStore;
  readonly origin: OriginPolicy;
  readonly browserKeys: BrowserKeys;
  readonly uploadContext: UploadContext;
  readonly staticFiles: StaticFiles;
  /** `/console/config.json` and its body, when the agent console is on. */
  readonly consoleConfig: { readonly path: string; readonly body: unknown } | undefined;
  readonly logger: (message: string) => void;
  /** Reports a refused request on the bad-input log, under the client's address. */
  readonly reportBadInput: (req: IncomingMessage, kind: string, detail: string) => void;
}

const NOT_FOUND = { error: 'not found' };

/** Builds the `request` listener of the HTTP server. */
export function createHttpHandler(deps: HttpDeps): (req: IncomingMessage, res: ServerResponse) => void {
  const paths = httpPaths(deps.basePath);

  /** Answers `{error}` with a 4xx status and reports it as bad input of the kind `<route> <status>`. */
  const refuse = (req: IncomingMessage, res: ServerResponse, route: string, status: number, error: string): void => {
    deps.reportBadInput(req, `${route} ${status}`, error);
    sendJson(res, status, { error });
  };

  const canChat = (req: IncomingMessage, res: ServerResponse, url: URL): void => {
    const areaParam = param(url, 'area') ?? '';
    const areaId = Number(areaParam);
    const answer = (status: number, fields: Partial<CanChatResult>): void => {
      const body: CanChatResult = { chatOpen: false, agentsAvailable: 0, feature: {}, resumable: false, error: '', ...fields };
      const { key, fresh } = deps.browserKeys.keyOf(req);
      sendJson(res, status, body, fresh ? { 'Set-Cookie': deps.browserKeys.setCookie(req, key) } : {});
    };
    if (areaParam === '' || !Number.isSafeInteger(areaId)) {
      deps.reportBadInput(req, 'canchat 400', `${invalidInput('area')}, got ${JSON.stringify(areaParam.slice(0, 32))}`);
      return answer(400, { error: invalidInput('area') });
    }
    const area = deps.areas.get(areaId);
    if (!area) return answer(200, { error: WIRE_ERRORS.unknownArea });
    // The session `resume` would find with the same secret or cookie; an empty secret is none, as in `resume`.
    const named = deps.store.named({ secret: param(url, 'secret') || undefined, browserKey: deps.browserKeys.keyOf(req).key });
    const resumable = named !== undefined && named.live && named.area.id === areaId;
    answer(200, { chatOpen: area.isOpen(deps.clock.now()), agentsAvailable: deps.hub.agentsOnline(area), feature: area.features, resumable });
  };

  const history = (req: IncomingMessage, res: ServerResponse, url: URL, format: 'text' | 'html'): void => {
    const secret = param(url, 'secret');
    const session = secret === undefined ? undefined : deps.store.withSecret(secret);
    if (!session || param(url, 'area') !== String(session.area.id)) return refuse(req, res, format === 'text' ? 'savehistory' : 'printhistory', 403, 'wrong area or session secret');
    if (format === 'text') {
      return send(res, 200, historyText(session), { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Disposition': attachmentDisposition(`chat-${session.id}.txt`) });
    }
    const nonce = randomBytes(16).toString('base64');
    send(res, 200, historyHtml(session, nonce), {
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy': `default-src 'none'; style-src 'unsafe-inline'; script-src 'nonce-${nonce}'; base-uri 'none'; form-action 'none'`,
      'Referrer-Policy': 'no-referrer',
    });
  };

  const indexPage = (res: ServerResponse): void => {
    const links = [...deps.staticFiles.urlPaths].sort().map((path) => `<li><a href="${escapeHtml(path)}">${escapeHtml(path)}</a></li>`);
    send(
      res,
      200,
      `<!doctype html><html lang="en"><meta charset="utf-8"><title>Cention chat reference server</title>
<body style="font:15px/1.5 system-ui,sans-serif;margin:2rem">
<h1>Cention chat reference server</h1>
<p>baseURL: <code>${escapeHtml(deps.basePath)}</code> on this origin.</p>
<ul>${links.join('')}</ul>
</body></html>`,
      { 'Content-Type': 'text/html; charset=utf-8' },
    );
  };

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (!deps.origin.allowsRequest(req)) {
      // A refused origin learns nothing: no data and no CORS header.
      deps.reportBadInput(req, 'origin 403', `origin ${JSON.stringify(String(req.headers.origin).slice(0, 100))} is not allowed`);
      return send(res, 403, 'origin not allowed', { 'Content-Type': 'text/plain; charset=utf-8' });
    }
    if (req.method === 'OPTIONS') return deps.origin.answerPreflight(req, res);
    deps.origin.applyCors(req, res);
    const url = new URL(req.url ?? '/', 'http://server.invalid');
    const { pathname } = url;
    if (pathname === paths.upload) {
      if (req.method !== 'POST') return sendJson(res, 405, { error: 'use POST' }, { Allow: 'POST, OPTIONS' });
      return handleUpload(req, res, deps.uploadContext);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, { error: 'use GET' }, { Allow: 'GET, HEAD, OPTIONS' });
    if (pathname.startsWith(paths.api)) {
      const name = pathname.slice(paths.api.length);
      if (name === 'canchat') return canChat(req, res, url);
      if (name === 'savehistory') return history(req, res, url, 'text');
      if (name === 'printhistory') return history(req, res, url, 'html');
      return sendJson(res, 404, NOT_FOUND);
    }
    if (pathname.startsWith(`${paths.download}/`)) {
      const id = Number(pathname.slice(paths.download.length + 1));
      const file = Number.isSafeInteger(id) ? deps.uploadContext.store.get(id) : undefined;
      if (!file) return refuse(req, res, 'download', 404, 'no such file');
      const session = deps.store.get(file.sessionId);
      if (!session || !secretsMatch(param(url, 't'), session.secret)) return refuse(req, res, 'download', 403, 'wrong session secret');
      return sendDownload(res, file);
    }
    if (deps.consoleConfig && pathname === deps.consoleConfig.path) return sendJson(res, 200, deps.consoleConfig.body);
    if (await deps.staticFiles.serve(req, res, pathname)) return;
    if (pathname === '/') return indexPage(res);
    sendJson(res, 404, NOT_FOUND);
  };

  return (req, res) => {
    route(req, res).catch((error: unknown) => {
      deps.logger(`cention-chat server: ${req.method ?? '?'} ${req.url ?? '?'} failed: ${errorText(error)}`);
      if (!res.headersSent) sendJson(res, 500, { error: 'server error' });
      else res.destroy();
    });
  };
}

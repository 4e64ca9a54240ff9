/**
 * The HTTP side (docs/protocol.md §7): `canchat`, `savehistory`, `printhistory`, upload, download,
 * behind the origin check; then the agent console's config, the static mounts and an index
 * page. socket.io answers its own path before a request gets here.
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CanChatResult } from '../core/protocol';
import { WIRE_ERRORS, invalidInput } from '../core/protocol';
import type { Clock } from '../core/clock';
import type { Area } from './areas';
import { errorText } from './bad-input';
import type { ChatHub } from './chat-hub';
import type { BrowserKeys } from './cookies';
import type { ContactDeps } from './errands';
import { handleChatRating, handleCreateErrand } from './errands';
import type { OriginPolicy } from './origin';
import type { SessionStore } from './sessions';
import type { StaticFiles } from './static-files';
import type { ConsoleGrants } from './tokens';
import type { RateLimiter } from './rate-limit';
import { RATE_LIMITED } from './rate-limit';
import type { UploadContext } from './uploads';
import { handleUpload, sendDownload } from './uploads';
import { historyHtml, historyText } from './history';
import { sendIndexPage } from './index-page';
import { pageNonce, pageSecurityHeaders } from './page-security';
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
  /** The agent console's download tokens, which open one file each. */
  readonly grants: ConsoleGrants;
  /** What `createerrand` and `chatrating` need. */
  readonly contact: Omit<ContactDeps, 'refuse'>;
  /** `createerrand` and `chatrating` requests per client address. */
  readonly contactLimit: RateLimiter;
  /** The client's address, which the limits count by. */
  readonly addressOf: (req: IncomingMessage) => string;
  readonly staticFiles: StaticFiles;
  /** `/console/config.json` and its body, when the agent console is on. */
  readonly consoleConfig: { readonly path: string; readonly body: { readonly keyRequired: boolean; readonly [key: string]: unknown } } | undefined;
  readonly logger: (message: string) => void;
  /** Reports a refused request on the bad-input log, under the client's address. */
  readonly reportBadInput: (req: IncomingMessage, kind: string, detail: string) => void;
}

const NOT_FOUND = { error: 'not found' };

/** The API routes that take a JSON `POST` (docs/protocol.md §7). */
const POST_API: Readonly<Record<string, typeof handleCreateErrand>> = { createerrand: handleCreateErrand, chatrating: handleChatRating };

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
    const nonce = pageNonce();
    send(res, 200, historyHtml(session, nonce), { 'Content-Type': 'text/html; charset=utf-8', ...pageSecurityHeaders(nonce) });
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
    const post = pathname.startsWith(paths.api) ? POST_API[pathname.slice(paths.api.length)] : undefined;
    if (post) {
      if (req.method !== 'POST') return sendJson(res, 405, { error: 'use POST' }, { Allow: 'POST, OPTIONS' });
      if (!deps.contactLimit.take(deps.addressOf(req))) return refuse(req, res, pathname.slice(paths.api.length), 429, RATE_LIMITED);
      return post(req, res, { ...deps.contact, refuse });
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
      const token = param(url, 't') ?? '';
      // `t` is the chat's session secret (the customer), or the agent console's token for this one file.
      if (!session || !(secretsMatch(token, session.secret) || deps.grants.allowsDownload(file.id, token))) return refuse(req, res, 'download', 403, 'wrong session secret');
      return sendDownload(res, file);
    }
    if (deps.consoleConfig && pathname === deps.consoleConfig.path) return sendJson(res, 200, deps.consoleConfig.body);
    if (await deps.staticFiles.serve(req, res, pathname)) return;
    if (pathname === '/') {
      const consolePage = deps.consoleConfig && { path: deps.consoleConfig.path.replace(/config\.json$/, ''), keyRequired: deps.consoleConfig.body.keyRequired };
      return sendIndexPage(res, { basePath: deps.basePath, staticFiles: deps.staticFiles, console: consolePage });
    }
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

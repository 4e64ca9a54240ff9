/**
 * Where things are, given a `baseURL` of the form `https://<host>/s/<workspace>` (docs/protocol.md §1).
 *
 * @module
 */

/** Every address the client talks to, derived from one `baseURL`. */
export interface Endpoints {
  /** The `baseURL` without a trailing slash. */
  readonly baseURL: string;
  /** The origin socket.io connects to (never with the path: socket.io would read it as a namespace). */
  readonly origin: string;
  /** The socket.io `path` option: P + `/socket/socket.io`. */
  readonly socketPath: string;
  /** `…/socket/external.api/<name>` with the given query. */
  api(name: 'canchat' | 'savehistory' | 'printhistory', query: Readonly<Record<string, string | number>>): string;
  /** The upload endpoint. */
  readonly upload: string;
  /** A download link for an upload's `download` path, authorised by the session secret. */
  download(path: string, secret: string): string;
}

function queryString(query: Readonly<Record<string, string | number>>): string {
  return Object.entries(query)
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`)
    .join('&');
}

/**
 * Derives the {@link Endpoints} of a `baseURL`. Throws a `TypeError` that names the problem
 * when `baseURL` is not an absolute http(s) URL.
 */
export function endpoints(baseURL: string): Endpoints {
  let url: URL;
  try {
    url = new URL(baseURL);
  } catch {
    throw new TypeError(`baseURL must be an absolute URL like https://cloud.cention.com/s/demo, got ${JSON.stringify(baseURL)}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new TypeError(`baseURL must use http or https, got ${JSON.stringify(baseURL)}`);
  }
  const basePath = url.pathname.replace(/\/+$/, '');
  const origin = url.origin;
  const root = origin + basePath;
  return {
    baseURL: root,
    origin,
    socketPath: `${basePath}/socket/socket.io`,
    api: (name, query) => `${root}/socket/external.api/${name}?${queryString(query)}`,
    upload: `${root}/Cention/web/chat/client/uploadAttachment`,
    download: (path, secret) => {
      const absolute = new URL(path, origin + '/').href;
      return `${absolute}${absolute.includes('?') ? '&' : '?'}t=${encodeURIComponent(secret)}`;
    },
  };
}

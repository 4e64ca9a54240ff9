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
  /** `…/socket/external.api/<name>` with the given query (none for the `POST`s). */
  api(name: 'canchat' | 'savehistory' | 'printhistory' | 'createerrand' | 'chatrating', query?: Readonly<Record<string, string | number>>): string;
  /** The upload endpoint. */
  readonly upload: string;
  /**
   * A download link for an upload's `download` path, authorised by the session secret; or
   * `undefined` when the path leads anywhere but an http(s) address on {@link Endpoints.origin}
   * (a `javascript:` or `data:` link, another site): the secret never leaves `baseURL`'s origin.
   */
  download(path: string, secret: string): string | undefined;
}

/** A base for reading a relative link when none is known: only its scheme matters then. */
const ANY_WEB_PAGE = 'https://link.invalid/';

/**
 * Reads a link that came from a server, relative to `base`: the address if it is http(s) (and,
 * with `origin`, on that origin), else `undefined`. Every link the library hands on goes
 * through this, so none of them can run script (`javascript:`) or carry a page (`data:`).
 */
export function webAddress(link: string, base: string = ANY_WEB_PAGE, origin?: string): URL | undefined {
  if (typeof link !== 'string' || link.trim() === '') return undefined;
  let url: URL;
  try {
    url = new URL(link, base);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  return origin === undefined || url.origin === origin ? url : undefined;
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
    api: (name, query = {}) => `${root}/socket/external.api/${name}${Object.keys(query).length === 0 ? '' : `?${queryString(query)}`}`,
    upload: `${root}/Cention/web/chat/client/uploadAttachment`,
    download: (path, secret) => {
      const address = webAddress(path, origin + '/', origin);
      if (!address) return undefined;
      address.searchParams.set('t', secret);
      return address.href;
    },
  };
}

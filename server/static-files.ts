/**
 * Static folders served under URL paths: the agent console, socket.io's client bundle, and
 * whatever sites the demo mounts.
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';

/** A folder served under a URL path, e.g. `{ urlPath: '/console/', dir: 'examples/console' }`. */
export interface StaticMount {
  /** Where it is served; a trailing slash is added when missing. */
  readonly urlPath: string;
  /** The folder (absolute, or relative to the working directory). */
  readonly dir: string;
}

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
};

/** Static mounts, longest URL path first so nested mounts win. */
export class StaticFiles {
  private readonly mounts: readonly { readonly urlPath: string; readonly dir: string }[];

  constructor(mounts: readonly StaticMount[]) {
    this.mounts = mounts
      .map((mount) => ({ urlPath: mount.urlPath.endsWith('/') ? mount.urlPath : `${mount.urlPath}/`, dir: resolve(mount.dir) }))
      .sort((a, b) => b.urlPath.length - a.urlPath.length);
  }

  /** The URL paths served, for the index page and the demo's printout. */
  get urlPaths(): readonly string[] {
    return this.mounts.map((mount) => mount.urlPath);
  }

  /** Serves `pathname` if a mount holds it; resolves `false` when none does. */
  async serve(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<boolean> {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    for (const { urlPath, dir } of this.mounts) {
      if (pathname === urlPath.slice(0, -1)) {
        res.writeHead(301, { Location: urlPath });
        res.end();
        return true;
      }
      if (!pathname.startsWith(urlPath)) continue;
      let relative: string;
      try {
        relative = decodeURIComponent(pathname.slice(urlPath.length));
      } catch {
        return false;
      }
      if (relative.includes('\0')) return false;
      let file = resolve(dir, `.${sep}${relative}`);
      if (file !== dir && !file.startsWith(dir + sep)) return false;
      let info = await stat(file).catch(() => undefined);
      if (info?.isDirectory()) {
        file = join(file, 'index.html');
        info = await stat(file).catch(() => undefined);
      }
      if (!info?.isFile()) return false;
      res.writeHead(200, {
        'Content-Type': TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
        'Content-Length': String(info.size),
        'X-Content-Type-Options': 'nosniff',
        'Cache-Control': 'no-cache',
      });
      if (req.method === 'HEAD') res.end();
      else createReadStream(file).on('error', () => res.destroy()).pipe(res);
      return true;
    }
    return false;
  }
}

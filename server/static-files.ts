/**
 * Static folders served under URL paths: the agent console, socket.io's client bundle, and
 * whatever sites the demo mounts, each file with the page security headers (page-security.ts).
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { pageSecurityHeaders } from './page-security';

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

  /**
   * What `pathname` names: a redirect (a mount's path without its slash), a file of a mount (a
   * folder means its `index.html`), or nothing.
   */
  private async resolveFile(pathname: string): Promise<{ readonly redirect: string } | { readonly file: string; readonly size: number } | undefined> {
    for (const { urlPath, dir } of this.mounts) {
      if (pathname === urlPath.slice(0, -1)) return { redirect: urlPath };
      if (!pathname.startsWith(urlPath)) continue;
      let relative: string;
      try {
        relative = decodeURIComponent(pathname.slice(urlPath.length));
      } catch {
        return undefined;
      }
      if (relative.includes('\0')) return undefined;
      let file = resolve(dir, `.${sep}${relative}`);
      if (file !== dir && !file.startsWith(dir + sep)) return undefined;
      let info = await stat(file).catch(() => undefined);
      if (info?.isDirectory()) {
        file = join(file, 'index.html');
        info = await stat(file).catch(() => undefined);
      }
      return info?.isFile() ? { file, size: info.size } : undefined;
    }
    return undefined;
  }

  /** Whether `pathname` names a file (a folder: its `index.html`) that {@link serve} would send. */
  async has(pathname: string): Promise<boolean> {
    const found = await this.resolveFile(pathname);
    return found !== undefined && 'file' in found;
  }

  /** Serves `pathname` if a mount holds it, with the page security headers; resolves `false` when none does. */
  async serve(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<boolean> {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const found = await this.resolveFile(pathname);
    if (!found) return false;
    if ('redirect' in found) {
      res.writeHead(301, { Location: found.redirect });
      res.end();
      return true;
    }
    res.writeHead(200, {
      ...pageSecurityHeaders(),
      'Content-Type': TYPES[extname(found.file).toLowerCase()] ?? 'application/octet-stream',
      'Content-Length': String(found.size),
      'Cache-Control': 'no-cache',
    });
    if (req.method === 'HEAD') res.end();
    else createReadStream(found.file).on('error', () => res.destroy()).pipe(res);
    return true;
  }
}

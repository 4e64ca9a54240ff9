// @ts-check
/**
 * A TypeDoc plugin (typedoc.json "plugin"). The README links to the guides and shows its images
 * by absolute URLs into the repository, so that they work on the npm page; on the documentation
 * site the same links lead to the site's own pages and the images come from the site itself.
 */
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { URL } from 'node:url';

const { repository } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
const [, owner, name] = /github\.com\/([\w.-]+)\/([\w.-]+?)(?:\.git)?$/.exec(repository.url) ?? [];
const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** `https://github.com/<owner>/<name>/blob/main/docs/<guide>.md#<anchor>` */
const GUIDE = new RegExp(`href="https://github\\.com/${escape(owner)}/${escape(name)}/blob/main/docs/([\\w-]+)\\.md(#[^"]*)?"`, 'g');
/** `https://raw.githubusercontent.com/<owner>/<name>/main/docs/<file>`, shown or linked to. */
const IMAGE = new RegExp(`(src|href)="https://raw\\.githubusercontent\\.com/${escape(owner)}/${escape(name)}/main/(docs/[\\w./-]+)"`, 'g');

/** @param {import('typedoc').Application} app */
export function load(app) {
  /** @type {Set<string>} */
  const images = new Set();
  app.renderer.on('parseMarkdown', (/** @type {import('typedoc').MarkdownEvent} */ event) => {
    const up = '../'.repeat(event.page.url.split('/').length - 1);
    event.parsedText = event.parsedText
      .replace(GUIDE, (_, guide, anchor = '') => `href="${up}documents/${guide.toLowerCase()}.html${anchor}"`)
      .replace(IMAGE, (_, attribute, path) => {
        images.add(path);
        return `${attribute}="${up}media/${basename(path)}"`;
      });
  });
  app.renderer.on('endRender', (/** @type {import('typedoc').RendererEvent} */ event) => {
    mkdirSync(join(event.outputDirectory, 'media'), { recursive: true });
    for (const path of images) copyFileSync(new URL(`../../${path}`, import.meta.url), join(event.outputDirectory, 'media', basename(path)));
  });
}

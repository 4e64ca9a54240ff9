/**
 * Loads `uploads.ts` when the first file goes: a lazy chunk of a site's bundle, since most chats
 * send no file. The drop-in scripts, one file each, swap this module for `uploads-inside.ts`
 * (tsup.config.ts): an `import()` inside one script only costs bytes.
 *
 * @module
 */
export const loadUploads = () => import('./uploads');

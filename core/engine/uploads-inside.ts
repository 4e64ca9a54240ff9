/**
 * `uploads-loader.ts` for the drop-in scripts: the uploads are in the script already.
 *
 * @module
 */
import * as uploads from './uploads';

export const loadUploads = () => Promise.resolve(uploads);

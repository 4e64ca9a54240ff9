/**
 * Files: what `attach()` checks before a byte goes out (attachments on, the size within the
 * area's limits), the upload handed to the machine, its progress, and cancelling it.
 *
 * @module
 */
import type { ChatSnapshot } from '../../machines';
import type { Clock } from '../clock';
import { ChatError } from '../errors';
import { fileNameOf } from '../http';
import { makeId } from '../ids';
import type { ChatFeatures, UploadResult } from '../protocol';
import type { ChatRuntime } from '../runtime/types';
import type { CommandPromises } from './promises';
import type { AttachOptions } from './types';

function humanSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  return bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** The uploads of one engine. */
export interface Uploads {
  /** Checks the file against `features` and uploads it. */
  upload(file: Blob, features: ChatFeatures, options: AttachOptions): Promise<UploadResult>;
  /** Tells each upload's `onProgress` what a new snapshot says of it. */
  changed(snapshot: ChatSnapshot): void;
}

/** Makes the uploads of one engine. */
export function uploads(runtime: Pick<ChatRuntime, 'send'>, promises: CommandPromises, clock: Clock): Uploads {
  const progress = new Map<string, { readonly onProgress: NonNullable<AttachOptions['onProgress']>; loaded: number }>();
  return {
    upload(file, features, { onProgress, signal, id }) {
      const refuse = (code: ChatError['code'], message: string) => Promise.reject(new ChatError(code, message));
      if (features['chat.attachment'] === false) return refuse('attachments-disabled', 'This chat does not accept attachments.');
      const isImage = file.type.startsWith('image/');
      const limit = (isImage ? features['chat.max-image-size'] : undefined) ?? features['chat.max-attachment-size'];
      if (typeof limit === 'number' && limit > 0 && file.size > limit) {
        return refuse('file-too-large', `The file is ${humanSize(file.size)}; this chat accepts ${isImage ? 'images' : 'files'} up to ${humanSize(limit)}.`);
      }
      if (signal?.aborted) return refuse('upload-aborted', 'The upload was cancelled before it started.');
      const uploadId = id ?? makeId('f', clock);
      const ref = { command: 'attach', uploadId } as const;
      if (promises.has(ref)) return refuse('invalid-input', `An upload with the id ${uploadId} is already under way.`);
      const uploaded = promises.wait<UploadResult>(ref);
      const cancel = () => runtime.send({ type: 'user.cancelUpload', uploadId });
      signal?.addEventListener('abort', cancel, { once: true });
      if (onProgress) progress.set(uploadId, { onProgress, loaded: 0 });
      const done = () => {
        progress.delete(uploadId);
        signal?.removeEventListener('abort', cancel);
      };
      uploaded.then(done, done);
      runtime.send({ type: 'user.attach', uploadId, file, fileName: fileNameOf(file), size: file.size, fileType: file.type });
      return uploaded;
    },
    changed(snapshot) {
      if (progress.size === 0) return;
      for (const upload of snapshot.context.uploads) {
        const pending = progress.get(upload.uploadId);
        if (pending && upload.loaded !== pending.loaded) {
          pending.loaded = upload.loaded;
          pending.onProgress({ loaded: upload.loaded, total: upload.size });
        }
      }
    },
  };
}

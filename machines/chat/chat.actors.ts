import { fromCallback } from 'xstate';
import type { EventObject } from 'xstate';
import { fault } from './chat.faults';
import type { CanChatInput, CheckEvent, LinkCommand, LinkEvent, UploadEvent, UploadInput } from './chat.types';

/**
 * The machine's I/O, as named slots. Each placeholder only says that it was not provided: core
 * fills every slot for each chat with `createChatActor(actors, …)` (chat.bound.ts), tests with fakes.
 */
export const actors = {
  /** The socket: takes {@link LinkCommand}s, sends {@link LinkEvent}s back. Core provides it. */
  link: fromCallback<LinkCommand>(({ sendBack }) => {
    sendBack({ type: 'link.connectError', message: 'No link actor was provided to the chat machine.' } satisfies LinkEvent);
  }),
  /** One `canchat` request, answering with a {@link CheckEvent}. Core provides it. */
  canChat: fromCallback<EventObject, CanChatInput>(({ sendBack, input }) => {
    sendBack({ type: 'check.failed', requestId: input.requestId, fault: fault('http-error', 'No canChat actor was provided to the chat machine.') } satisfies CheckEvent);
  }),
  /** One attachment upload, reporting {@link UploadEvent}s. Core provides it. */
  upload: fromCallback<EventObject, UploadInput>(({ sendBack, input }) => {
    sendBack({ type: 'upload.failed', uploadId: input.uploadId, fault: fault('upload-failed', 'No upload actor was provided to the chat machine.') } satisfies UploadEvent);
  }),
};

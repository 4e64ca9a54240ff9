/**
 * The chat statechart and its pure helpers. Imports only xstate: the socket, HTTP requests and
 * timers enter as named actors and delays that core fills with `.provide()` (core itself binds
 * them per chat on one shared chart, `chat/chat.bound.ts`).
 *
 * @example
 * ```ts
 * import { createActor } from 'xstate';
 * import { chatMachine, connect } from 'cention-chat/machines';
 *
 * const actor = createActor(chatMachine.provide({ actors: { link, canChat, upload } })).start();
 * actor.subscribe((snapshot) => console.log(connect(snapshot).phase));
 * ```
 *
 * @module machines
 */
export { chatMachine } from './chat/chat.machine';
export type { ChatMachine } from './chat/chat.machine';
export type { Refusal } from './chat/chat.actions';
export { connect, phaseOf } from './chat/chat.connect';
export { Delivered } from './chat/chat.delivered';
export type { ChatPhase, ChatSnapshot, ChatView, DeliveryState } from './chat/chat.connect';
export { Transcript } from './chat/chat.transcript';
export type { TranscriptMerge } from './chat/chat.transcript';
export { fault, faultFromWire } from './chat/chat.faults';
export type { ChatErrorCode, ChatFault } from './chat/chat.faults';
export { isUnsent } from './chat/chat.outbox';
export type { OutboxEntry, OutboxState } from './chat/chat.outbox';
export type {
  Availability,
  CanChatInput,
  ChatContext,
  ChatEvent,
  ChatInput,
  ChatNotification,
  CheckEvent,
  CommandRef,
  ConnectErrors,
  LinkCommand,
  LinkEvent,
  Reply,
  TimerEvent,
  TypingState,
  UploadEntry,
  UploadEvent,
  UploadInput,
  UploadState,
  UserEvent,
} from './chat/chat.types';

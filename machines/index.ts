/**
 * The chat statechart and its pure helpers. Imports only xstate: the socket, HTTP requests and
 * timers enter as named actors (and delays) that {@link createChatActor} binds to one chat.
 *
 * @example
 * ```ts
 * import { connect, createChatActor } from 'cention-chat/machines';
 *
 * const actor = createChatActor({ link, canChat, upload }, { input: {} }).start();
 * actor.subscribe((snapshot) => console.log(connect(snapshot).phase));
 * ```
 *
 * @module machines
 */
export { chatMachine } from './chat/chat.machine';
export type { ChatMachine } from './chat/chat.machine';
export { createChatActor } from './chat/chat.bound';
export type { ChatActorOptions, ChatActors } from './chat/chat.bound';
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
  LinkCommand,
  LinkEvent,
  Reply,
  TimerEvent,
  UploadEntry,
  UploadEvent,
  UploadInput,
  UploadState,
  UserEvent,
} from './chat/chat.types';

/**
 * cention-chat: chat with the agents of a Cention Contact Center.
 *
 * Two faces over one core: {@link createCentionChat}, a typed client with promises and RxJS
 * streams, and {@link _CentionChat}, the Cention Chat API 5.1.0 exactly as documented. The chat
 * lifecycle is one XState v5 machine (`cention-chat/machines`); the wire protocol is
 * `cention-chat/protocol`.
 *
 * @example
 * ```ts
 * import { createCentionChat } from 'cention-chat';
 *
 * const chat = createCentionChat({ baseURL: 'https://cloud.cention.com/s/demo', area: 1 });
 * chat.messages$.subscribe((message) => console.log(message.sender, message.text));
 * await chat.start({ name: 'Ada', email: 'ada@example.com', message: 'Hello!' });
 * chat.send('Are you there?');
 * ```
 *
 * @module cention-chat
 */
export { createCentionChat } from './client';
export type { CentionChat } from './client';
export { createChatEngine } from './engine';
export type { AttachOptions, CentionChatOptions, ChatActor, ChatEngine, EngineHooks, HistoryUrls, OutgoingMessage, StartOptions } from './engine';
export { ChatError } from './errors';
export type { LeaveMessageOptions, RateOptions } from './errands';
export type { ChatErrorCode, ChatFault } from './errors';
export type { Receipt } from './streams';
export { ChatStreams } from './streams';
export type { IoFactory, IoOptions, Listener, SocketLike } from './transport/link';
export type { StorageLike, SavedChat } from './session-store';
export type { Clock, TimerHandle } from './clock';
export type { PreviewMode } from './typing-preview';
export type { DesktopOptIn, NotificationOptions } from './notifications';
export type { InputLogHook, Inspector } from './replay/input-log';
export { systemClock } from './clock';
export { describeMessage } from './describe';
export type { DescribedMessage } from './describe';
export { _CentionChat } from './compat/facade';
export type { AttachedFile, AttachedUpload, CentionChatAPI, ChatAction, ChatActionArguments, ConnectParameters, CreateErrandParameters, ExtensionFailure, FacadeOptions, ResumeAnswer, ResumeParameters, UnsentMessage, UploadProgress } from './compat/facade';
export { connect } from '../machines/chat/chat.connect';
export { Transcript } from '../machines/chat/chat.transcript';
export type { ChatPhase, ChatView, DeliveryState, OutboxEntry, OutboxState, UploadEntry, UploadState } from '../machines';
export type {
  CanChatResult,
  ChatFeatures,
  ChatRated,
  ErrandCreated,
  ChatMessageEvent,
  Message,
  MessageAcked,
  MessageSent,
  AgentPreview,
  SessionInfo,
  UploadResult,
  SystemEvent,
  UnknownSystemEvent,
  Translate,
} from './protocol';

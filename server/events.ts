/**
 * What the server lets tests (and the agent console) observe: its events and the snapshot of a
 * session.
 *
 * @module
 */
import type { Message, UploadResult } from '../core/protocol';
import type { BadInputReport } from './bad-input';
import type { Errand } from './errands';
import type { AssignedAgent, ChatRating, ChatState, EndReason } from './sessions';

/** A session as the test API and the agent console see it. */
export interface SessionSnapshot {
  readonly id: number;
  readonly secret: string;
  readonly areaId: number;
  readonly clientName: string;
  readonly email: string;
  readonly phone: string;
  readonly externalData: string;
  /** The page the customer last resumed on (when they let it be tracked). */
  readonly href: string;
  readonly state: ChatState;
  /** The agent's name; empty until an agent takes the chat. */
  readonly agent: string;
  readonly agentKind: AssignedAgent['kind'] | undefined;
  /** The 1-based place in the area's queue, or 0 when not queued. */
  readonly queuePosition: number;
  readonly transcript: readonly Message[];
  /** Client message ids announced to the browser in `message acked`. */
  readonly delivered: readonly number[];
  /** Message ids the browser confirmed with the `"onJson"` auto-ack. */
  readonly autoAcked: readonly number[];
  /** How many client sockets show this chat now. */
  readonly connectedSockets: number;
  readonly endReason: EndReason | undefined;
  /** Unix ms. */
  readonly startedAt: number;
  /** The customer's rating of the ended chat, once given. */
  readonly rating: ChatRating | undefined;
}

/**
 * The events of `server.on(...)` / `server.waitFor(...)`. Tests wait on these instead of
 * sleeping.
 */
export interface ChatServerEventMap {
  /** A client socket connected to the chat namespace. */
  'client-connected': { readonly socketId: string; readonly origin: string | undefined };
  /** A client socket went away. */
  'client-disconnected': { readonly socketId: string; readonly sessionId: number | undefined; readonly reason: string };
  /** `register` started a chat (after its ack, echo and queue place were sent). */
  'session-registered': { readonly sessionId: number; readonly areaId: number; readonly clientName: string; readonly socketId: string };
  /** `resume` bound a socket to a chat (after the transcript was sent). */
  'session-resumed': { readonly sessionId: number; readonly socketId: string };
  /** A client `chat message` arrived; `alreadySeen` when its umid was stored before. */
  'client-message': { readonly sessionId: number; readonly message: Message; readonly alreadySeen: boolean };
  /** Any message joined a transcript (client, agent or system). */
  'message-appended': { readonly sessionId: number; readonly message: Message };
  /** The customer's typing preview; `""` when they stopped. */
  preview: { readonly sessionId: number; readonly preview: string };
  /** The browser auto-acked (`"onJson"`) a `chat message` holding these message ids. */
  'auto-ack': { readonly sessionId: number; readonly messageIds: readonly number[] };
  /** The queue of an area changed. */
  'queue-changed': { readonly areaId: number; readonly sessionIds: readonly number[] };
  /** An agent took a chat. */
  'agent-joined': { readonly sessionId: number; readonly agent: AssignedAgent };
  /** `message acked` announced these client messages as delivered. */
  'messages-delivered': { readonly sessionId: number; readonly ids: readonly number[] };
  /** A file was attached to a chat (by the customer or the agent). */
  attachment: { readonly sessionId: number; readonly file: UploadResult; readonly by: 'CLIENT' | 'AGENT' };
  /** Something the agent console shows about a chat changed (state, agent, place, connection). */
  'chat-changed': { readonly sessionId: number };
  /** A chat ended (after its system message and `finish chat session` were sent). */
  'session-ended': { readonly sessionId: number; readonly reason: EndReason };
  /** An ended chat's retention ran out and the server forgot it (its history, files and secret). */
  'session-evicted': { readonly sessionId: number };
  /** A customer left a message (`createerrand`): it became this errand. */
  'errand-created': Errand;
  /** A customer rated an ended chat (`chatrating`). */
  'chat-rated': { readonly sessionId: number; readonly rating: ChatRating };
  /** A client sent something the server refused. */
  'bad-input': BadInputReport;
}

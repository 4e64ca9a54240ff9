import type { SnapshotFrom } from 'xstate';
import type { CanChatResult, ChatFeatures, Message, SessionInfo } from '../wire';
import type { ChatFault } from './chat.faults';
import type { chatMachine } from './chat.machine';
import type { OutboxEntry, OutboxState } from './chat.outbox';
import type { Delivered } from './chat.delivered';
import type { Transcript } from './chat.transcript';
import type { UploadEntry } from './chat.types';

/** A snapshot of the chat machine. */
export type ChatSnapshot = SnapshotFrom<typeof chatMachine>;

/**
 * Where the chat is, in one word:
 *
 * - `idle`: no chat (check availability, offer the start form).
 * - `starting`: connecting and registering a new chat.
 * - `resuming`: reconnecting to a chat of an earlier page.
 * - `queued`: waiting for an agent (see `queuePosition`).
 * - `connected`: an agent has the chat.
 * - `reconnecting`: the link dropped mid-chat; it comes back by itself and nothing is lost.
 * - `closing`: the customer ended the chat; waiting for the server to confirm.
 * - `detached`: the link was let go on purpose (`disconnect()`); `resume()` brings it back.
 * - `queueFull` / `agentUnavailable`: the server refused to start the chat.
 * - `finished`: the chat ended; the transcript and history links stay.
 */
export type ChatPhase = 'idle' | 'starting' | 'resuming' | 'queued' | 'connected' | 'reconnecting' | 'closing' | 'detached' | 'queueFull' | 'agentUnavailable' | 'finished';

/** Delivery state of an own message as a UI shows it. */
export type DeliveryState = OutboxState;

/** Everything a chat UI needs from one snapshot, without reading the machine's internals. */
export interface ChatView {
  readonly phase: ChatPhase;
  /** A `canchat` check is under way. */
  readonly checking: boolean;
  /** The last `canchat` answer. */
  readonly availability: CanChatResult | undefined;
  /** The area's features (from the last check), `{}` when unknown. */
  readonly features: ChatFeatures;
  /** A new chat can be started now. */
  readonly canStart: boolean;
  /** Messages can be written now (they may wait for the link). */
  readonly canSend: boolean;
  /** The socket is up. */
  readonly online: boolean;
  readonly session: SessionInfo | undefined;
  /** Deduplicated, ordered messages. */
  readonly transcript: Transcript;
  /** Own messages the transcript does not show yet (queued, sending, failed, or sent before the echo): the outbox. */
  readonly pending: readonly OutboxEntry[];
  readonly outbox: readonly OutboxEntry[];
  /** Ids of client messages the agent has received. */
  readonly delivered: Delivered;
  readonly uploads: readonly UploadEntry[];
  readonly queuePosition: number | undefined;
  /** The assigned agent's name, `""` before one is assigned. */
  readonly agent: string;
  readonly agentTyping: boolean;
  /** Length of what the agent is typing, `0` when not typing. */
  readonly agentTypingLength: number;
  /**
   * How many agent and system messages arrived since the customer last saw the chat
   * (`markRead()`). The history of a chat resumed on a new page is not counted.
   */
  readonly unread: number;
  /** The chat ended while the link was down. */
  readonly endedWhileOffline: boolean;
  readonly lastError: ChatFault | undefined;
  /** The delivery state of a client message of the transcript: `acked` once the agent has it, else `sent`. */
  deliveryOf(message: Message): DeliveryState | undefined;
}

/** The {@link ChatPhase} of a snapshot, without building a whole view. */
export function phaseOf(snapshot: ChatSnapshot): ChatPhase {
  const chat = (snapshot.value as { chat: string | Record<string, unknown> }).chat;
  if (typeof chat === 'string') return chat as ChatPhase;
  const [top] = Object.keys(chat);
  if (top !== 'live') return top as ChatPhase;
  const live = (chat as { live: string | Record<string, unknown> }).live;
  const state = typeof live === 'string' ? live : Object.keys(live)[0];
  switch (state) {
    case 'session':
      return (live as { session: string }).session === 'connected' ? 'connected' : 'queued';
    case 'offline':
    case 'rejoining':
      return 'reconnecting';
    default:
      return state as ChatPhase;
  }
}

const ONLINE: ReadonlySet<ChatPhase> = new Set(['queued', 'connected', 'closing']);
const STARTABLE: ReadonlySet<ChatPhase> = new Set(['idle', 'queueFull', 'agentUnavailable', 'finished']);
const SENDABLE: ReadonlySet<ChatPhase> = new Set(['starting', 'resuming', 'queued', 'connected', 'reconnecting', 'detached']);

/**
 * Turns a snapshot into the {@link ChatView} a UI renders. Pure: the same snapshot gives an
 * equal view, so adapters can call it on every change.
 */
export function connect(snapshot: ChatSnapshot): ChatView {
  const { context } = snapshot;
  const phase = phaseOf(snapshot);
  const availability = context.availability?.result;
  return {
    phase,
    checking: snapshot.matches({ availability: 'checking' }),
    availability,
    features: availability?.feature ?? {},
    canStart: STARTABLE.has(phase),
    canSend: SENDABLE.has(phase),
    online: ONLINE.has(phase) || (phase === 'starting' && snapshot.matches({ chat: { live: { starting: 'registering' } } })),
    session: context.session,
    transcript: context.transcript,
    pending: context.outbox,
    outbox: context.outbox,
    delivered: context.delivered,
    uploads: context.uploads,
    queuePosition: context.queuePosition,
    agent: context.agent,
    agentTyping: context.typing.agent > 0,
    agentTypingLength: context.typing.agent,
    unread: context.unread,
    endedWhileOffline: context.endedWhileOffline,
    lastError: context.lastError,
    deliveryOf(message) {
      if (message.sender !== 'CLIENT') return undefined;
      return context.delivered.has(message.id) ? 'acked' : 'sent';
    },
  };
}

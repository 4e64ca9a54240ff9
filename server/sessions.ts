/**
 * Chat sessions and the store that finds them by id, secret or browser cookie.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import type { Message, Sender, SystemEvent } from '../core/protocol';
import { encodeSystemEvent } from '../core/protocol';
import type { TimerHandle } from '../core/clock';
import type { Area } from './areas';

/** Where a chat is in its life. */
export type ChatState = 'queued' | 'assigned' | 'ended';

/** Why a chat ended: the customer closed it, the agent ended it, or it sat idle too long. */
export type EndReason = 'client' | 'agent' | 'idle';

/** Who took a chat: a simulated agent, or a person (the agent console or a test). */
export interface AssignedAgent {
  readonly name: string;
  readonly kind: 'simulated' | 'person';
}

/** What the customer gave in `register`. */
export interface CustomerDetails {
  readonly name: string;
  readonly email: string;
  readonly phone: string;
  readonly externalData: string;
}

/**
 * A transcript message as the server keeps it: the message that goes on the wire, and what
 * only the server knows about it.
 */
export interface TranscriptEntry {
  readonly message: Message;
  /**
   * The system event, on the messages the server wrote itself (and only on those). Whatever
   * reads system events (the agent console, savehistory, printhistory) reads them here, never
   * from a message's text.
   */
  readonly event?: SystemEvent;
  /** Who wrote it, on agent messages: agents can change during a chat. */
  readonly author?: string;
}

/** The customer's rating of an ended chat (`chatrating`, docs/protocol.md §7). */
export interface ChatRating {
  /** 1 (bad) to 5 (very good). */
  readonly rating: number;
  /** `""` for none. */
  readonly comment: string;
  /** Unix ms. */
  readonly ratedAt: number;
}

/** One chat: its customer, its agent, its transcript and the sockets showing it. */
export class ChatSession {
  state: ChatState = 'queued';
  agent: AssignedAgent | undefined;
  endReason: EndReason | undefined;
  /** The page the customer was on when they last registered or resumed (when tracked). */
  href = '';
  /** The transcript, oldest first. */
  readonly entries: TranscriptEntry[] = [];
  /** The umid memory: umid → the message stored for it. */
  readonly umids = new Map<string, Message>();
  /** Client message ids announced in `message acked`. */
  readonly delivered = new Set<number>();
  /** Message ids the browser has auto-acked ("onJson"). */
  readonly autoAcked = new Set<number>();
  /** Ids of the client sockets bound to this chat. */
  readonly sockets = new Set<string>();
  idleTimer: TimerHandle | undefined;
  /** Once the chat has ended: when the server forgets it. */
  evictionTimer: TimerHandle | undefined;
  /** The length the agent's typing preview last said; 0 when the agent is not typing. */
  agentTyping = 0;
  /** The customer's rating, once the chat ended and they gave one (once per chat). */
  rating: ChatRating | undefined;

  constructor(
    readonly id: number,
    readonly secret: string,
    readonly area: Area,
    readonly browserKey: string | undefined,
    readonly customer: CustomerDetails,
    readonly startedAt: number,
  ) {}

  get live(): boolean {
    return this.state !== 'ended';
  }

  /** The agent's name as `chat message` carries it: empty until an agent takes the chat. */
  get agentName(): string {
    return this.agent?.name ?? '';
  }

  /** The transcript as it goes on the wire. */
  get transcript(): Message[] {
    return this.entries.map((entry) => entry.message);
  }

  /** The entry of a message, looked up from the newest (the one just appended is found at once). */
  entryOf(messageId: number): TranscriptEntry | undefined {
    for (let i = this.entries.length - 1; i >= 0; i--) if (this.entries[i]?.message.id === messageId) return this.entries[i];
    return undefined;
  }

  /** Client messages not yet announced as delivered. */
  undeliveredClientMessages(): number[] {
    return this.entries.filter(({ message }) => message.sender === 'CLIENT' && !this.delivered.has(message.id)).map(({ message }) => message.id);
  }
}

/**
 * The fields of a new message; the store gives it an id and the time. A message with an
 * `event` is one the server writes: its text is the event's system message text.
 */
export type NewMessage =
  | { readonly sender: Sender; readonly text: string; readonly umid?: string; readonly author?: string }
  | { readonly sender: Sender; readonly event: SystemEvent; readonly author?: string };

/** Every session the server remembers, with the message and session id counters. */
export class SessionStore {
  private readonly byId = new Map<number, ChatSession>();
  private readonly bySecret = new Map<string, ChatSession>();
  private readonly byBrowser = new Map<string, ChatSession[]>();
  // Ids keep counting across a restart that forgets sessions, so an old id never names a new chat.
  private nextSessionId = 1;
  private nextMessageId = 1;

  create(area: Area, browserKey: string | undefined, customer: CustomerDetails, now: number): ChatSession {
    const session = new ChatSession(this.nextSessionId++, randomBytes(24).toString('base64url'), area, browserKey, customer, now);
    this.byId.set(session.id, session);
    this.bySecret.set(session.secret, session);
    if (browserKey !== undefined) {
      const list = this.byBrowser.get(browserKey) ?? [];
      list.push(session);
      this.byBrowser.set(browserKey, list);
    }
    return session;
  }

  get(id: number): ChatSession | undefined {
    return this.byId.get(id);
  }

  withSecret(secret: string): ChatSession | undefined {
    return this.bySecret.get(secret);
  }

  /**
   * The one session a request names (docs/protocol.md §3, §10): the session of its `secret` when it
   * sends one (a wrong secret names none; the cookie is not asked), otherwise the browser's
   * newest live session in any area, or its newest session when none is live. `resume` and
   * `canchat` both ask this, so `resumable` says what a `resume` would find.
   */
  named({ secret, browserKey }: { readonly secret: string | undefined; readonly browserKey: string | undefined }): ChatSession | undefined {
    if (secret !== undefined) return this.bySecret.get(secret);
    const started = browserKey === undefined ? undefined : this.byBrowser.get(browserKey);
    if (!started) return undefined;
    for (let i = started.length - 1; i >= 0; i--) if (started[i]?.live) return started[i];
    return started.at(-1);
  }

  /** Every chat a browser key has started that the store still keeps. */
  ofBrowser(browserKey: string): readonly ChatSession[] {
    return this.byBrowser.get(browserKey) ?? [];
  }

  all(): IterableIterator<ChatSession> {
    return this.byId.values();
  }

  get size(): number {
    return this.byId.size;
  }

  /** Stores a new message in the session's transcript (and its umid in the umid memory). */
  append(session: ChatSession, fields: NewMessage, now: number): Message {
    const event = 'event' in fields ? fields.event : undefined;
    const umid = 'umid' in fields ? (fields.umid ?? '') : '';
    const text = 'event' in fields ? encodeSystemEvent(fields.event) : fields.text;
    const message: Message = { id: this.nextMessageId++, sender: fields.sender, sent: Math.floor(now / 1000), sentHuman: session.area.formatTime(now), text, umid };
    session.entries.push({ message, ...(event ? { event } : {}), ...(fields.author === undefined ? {} : { author: fields.author }) });
    if (umid !== '') session.umids.set(umid, message);
    return message;
  }

  /** Loses every umid, as a real server does when it restarts: stored messages keep `umid: ""`. */
  forgetUmids(): void {
    for (const session of this.byId.values()) {
      session.umids.clear();
      session.entries.forEach((entry, index) => {
        if (entry.message.umid !== '') session.entries[index] = { ...entry, message: { ...entry.message, umid: '' } };
      });
    }
  }

  /** Forgets one session: its id, secret and browser key name nothing any more. */
  remove(session: ChatSession): void {
    if (this.byId.get(session.id) !== session) return;
    this.byId.delete(session.id);
    this.bySecret.delete(session.secret);
    if (session.browserKey === undefined) return;
    const rest = (this.byBrowser.get(session.browserKey) ?? []).filter((s) => s !== session);
    if (rest.length > 0) this.byBrowser.set(session.browserKey, rest);
    else this.byBrowser.delete(session.browserKey);
  }

  /** Forgets every session. */
  clear(): void {
    this.byId.clear();
    this.bySecret.clear();
    this.byBrowser.clear();
  }
}

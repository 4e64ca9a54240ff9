/**
 * The client's streams, fed by the chat engine's snapshots and notifications. One owner
 * (`ChatStreams`) holds every subject and completes them all on `stop()`. They are typed as RxJS
 * Observables and are, at run time, the small RxJS-like streams of `stream.ts`: RxJS is not in a
 * site's first bundle.
 *
 * @module
 */
import type { Observable } from 'rxjs';
import type { ChatNotification, ChatSnapshot, ChatView } from '../machines';
import { connect } from '../machines/chat/chat.connect';
import { ChatError } from './errors';
import type { Message, MessageSent } from './protocol';
import { Stream, Subject, changesOf, relay } from './stream';
import type { Subscriber } from './stream';

/** What became of an own message: sent (the server stored it), acked (the agent has it), or failed. */
export interface Receipt {
  /** The message's umid (the `id` that `send()` returned). */
  readonly umid: string;
  readonly state: 'sent' | 'acked' | 'failed';
  /** The server's Message sent object, once sent. */
  readonly receipt?: MessageSent;
  /** The server's message id, once known. */
  readonly messageId?: number;
  /** Why it failed. */
  readonly error?: ChatError;
}

const views = new WeakMap<ChatSnapshot, ChatView>();

/** The view of a snapshot, made once per snapshot. */
export function viewOf(snapshot: ChatSnapshot): ChatView {
  let view = views.get(snapshot);
  if (!view) {
    view = connect(snapshot);
    views.set(snapshot, view);
  }
  return view;
}

/** A stream of ours, as the RxJS Observable it stands in for (see `stream.ts`). */
const observable = <T>(stream: Stream<T>) => stream as unknown as Observable<T>;

const agentTypingOf = (snapshot: ChatSnapshot) => snapshot.context.typing.agent;
const queuePositionOf = (snapshot: ChatSnapshot) => snapshot.context.queuePosition;

/** The latest snapshot first, then every new one (RxJS's `BehaviorSubject`): `source` holds the streams. */
function latestThenChanges(this: Stream<ChatSnapshot>, subscriber: Subscriber<ChatSnapshot>) {
  const streams = this.source as ChatStreams;
  subscriber.next(streams.snapshot);
  return (this.select as Subject<ChatSnapshot>).subscribe(subscriber);
}

/** The transcript so far, then each new message once. */
function transcriptThenNew(this: Stream<Message>, subscriber: Subscriber<Message>) {
  for (const message of (this.source as ChatStreams).snapshot.context.transcript) subscriber.next(message);
  return (this.select as Subject<Message>).subscribe(subscriber);
}

/**
 * Every stream of one client. Every connected client holds them, and most are never subscribed
 * to: each is a small object of `stream.ts`, with no closure and no list of subscribers until
 * its first subscriber comes.
 */
export class ChatStreams {
  private latest: ChatSnapshot;
  private readonly changes = new Subject<ChatSnapshot>();
  private readonly snapshots: Stream<ChatSnapshot> = new Stream(latestThenChanges, this, this.changes);
  private readonly newMessages = new Subject<Message>();
  private readonly receiptSubject = new Subject<Receipt>();
  private readonly errorSubject = new Subject<ChatError>();

  /** The chat as a {@link ChatView}: the current one first, then every change. */
  readonly state$: Observable<ChatView> = observable(changesOf(this.snapshots, viewOf));
  /** The transcript, deduplicated and in order: every message so far, then each new one once. */
  readonly messages$: Observable<Message> = observable(new Stream(transcriptThenNew, this, this.newMessages));
  /** Delivery receipts of own messages, once per umid and state. */
  readonly receipts$: Observable<Receipt> = observable(relay(this.receiptSubject));
  /** Length of what the agent is typing (`0`: not typing): the current value, then changes. */
  readonly agentTyping$: Observable<number> = observable(changesOf(this.snapshots, agentTypingOf));
  /** The place in the queue (`undefined` when not queued): the current value, then changes. */
  readonly queue$: Observable<number | undefined> = observable(changesOf(this.snapshots, queuePositionOf));
  /** Everything that went wrong: refused commands, failed messages, connect errors, and what a server sent that the client refused to use (`invalid-input`, e.g. a file link that is not a download of `baseURL`'s origin). */
  readonly errors$: Observable<ChatError> = observable(relay(this.errorSubject));

  constructor(initial: ChatSnapshot) {
    this.latest = initial;
  }

  /** The latest snapshot. */
  get snapshot(): ChatSnapshot {
    return this.latest;
  }

  nextSnapshot(snapshot: ChatSnapshot): void {
    if (snapshot === this.latest) return;
    this.latest = snapshot;
    this.changes.next(snapshot);
  }

  error(error: ChatError): void {
    this.errorSubject.next(error);
  }

  /** Feeds a machine notification into the streams it belongs to. */
  notify(notification: ChatNotification): void {
    switch (notification.type) {
      case 'messages':
        for (const message of notification.messages) this.newMessages.next(message);
        break;
      case 'receipt': {
        const { umid, state, receipt, messageId, fault } = notification;
        const error = fault && ChatError.from(fault);
        this.receiptSubject.next({ umid, state, ...(receipt ? { receipt } : {}), ...(messageId !== undefined ? { messageId } : {}), ...(error ? { error } : {}) });
        if (error) this.errorSubject.next(error);
        break;
      }
      case 'rejected':
        this.errorSubject.next(ChatError.from(notification.fault));
        break;
      case 'connectError':
        this.errorSubject.next(new ChatError('connect-failed', `Could not connect to the chat server: ${notification.message}`));
        break;
      case 'upload':
        if (notification.upload.state === 'failed' && notification.upload.fault) this.errorSubject.next(ChatError.from(notification.upload.fault));
        break;
      default:
        break;
    }
  }

  /** Completes every stream: subscribers are released. */
  complete(): void {
    this.changes.complete();
    this.newMessages.complete();
    this.receiptSubject.complete();
    this.errorSubject.complete();
  }
}

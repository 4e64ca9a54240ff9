/**
 * The seam between the engine and its runtime. The engine (commands, their promises, the
 * streams and views built on it) asks the runtime for nothing but this: it sends the machine
 * the customer's commands as `user.*` events, and hears every snapshot and notification back.
 * The runtime it gets may be the real one ({@link StartRuntime} of `core/runtime`), the lazy
 * stand-in that loads it on first need (`core/engine/lazy-runtime.ts`), or a runtime shared
 * between the tabs of a browser: the engine cannot tell them apart.
 *
 * @module
 */
import type { Actor, InspectionEvent, Observer } from 'xstate';
import type { Availability, ChatMachine, ChatNotification, ChatSnapshot, UserEvent } from '../../machines';
import type { Clock } from '../clock';
import type { InputLogHook } from '../replay/input-log';
import type { DesktopOptIn } from '../notifications';
import type { HttpConfig } from '../http';
import type { Endpoints } from '../protocol';
import type { SessionStore } from '../session-store';
import type { IoFactory } from '../transport/link';

/** The running chat actor. */
export type ChatActor = Actor<ChatMachine>;

/** What a runtime is made with: the engine's options, checked and filled in. */
export interface RuntimeConfig {
  readonly endpoints: Endpoints;
  readonly clock: Clock;
  /** The chats kept for the next page (read by the engine, written by the runtime). */
  readonly store: SessionStore;
  /** What the HTTP requests need. */
  readonly http: HttpConfig;
  readonly io: IoFactory | undefined;
  readonly ackTimeout: number;
  readonly trackClientUrl: boolean;
  readonly socketOptions: Readonly<Record<string, unknown>> | undefined;
  readonly delays: Readonly<Record<string, number>> | undefined;
  readonly maxConnectErrors: number | undefined;
  readonly inspect: Observer<InspectionEvent> | ((event: InspectionEvent) => void) | undefined;
  /** Whoever logs the machine's inputs (`cention-chat/replay`): it wraps the clock and the inspector. */
  readonly record: InputLogHook | undefined;
  /** The area a command without one uses. */
  readonly area: number | undefined;
  /** The face's opt-in to desktop notifications, where the site asked for them. */
  readonly desktop?: DesktopOptIn;
  /** Whether the tabs of the site that show this chat share one connection (core/tabs). */
  readonly shareAcrossTabs: boolean;
  /** A `canchat` answer from before the runtime started (one the lazy runtime got over HTTP): the machine starts knowing it. */
  readonly availability?: Availability;
}

/** What the runtime tells the engine, as it happens. */
export interface RuntimeListener {
  /** Every new snapshot of the machine, the first one as the runtime starts. */
  snapshot(snapshot: ChatSnapshot): void;
  /** Every notification the machine emits, in order. */
  notification(notification: ChatNotification): void;
  /** The machine stopped with an error (a bug), or the runtime could not be loaded (the commands sent to it are refused). */
  failed(error: unknown): void;
}

/** A running chat machine with its I/O, as the engine sees it. */
export interface ChatRuntime {
  /** The XState actor, once there is one (a lazy runtime has none before it is loaded). */
  readonly actor: ChatActor | undefined;
  /** The machine's snapshot now. */
  getSnapshot(): ChatSnapshot;
  /**
   * Sends the machine a command. Returns whether the machine has taken it now; `false` when it
   * is on its way (to a runtime still loading, or from a tab that follows to the one that leads).
   */
  send(event: UserEvent): boolean;
  /** Stops the machine and its I/O; nothing is left running. */
  stop(): void;
}

/** Starts a runtime. */
export type StartRuntime = (config: RuntimeConfig, listener: RuntimeListener) => ChatRuntime;

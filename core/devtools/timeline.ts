/**
 * The inspector's timeline: one step per event the chat machine took (user commands, server
 * events, link events, replies, checks, uploads, timers), with the snapshot after it, whether the
 * steps come from a live chat or from a recording replayed.
 *
 * @module
 */
import type { InspectionEvent } from 'xstate';

/** Where an event came from, for its colour: the first part of its type, or `timer`, or `start`. */
export type StepSource = 'start' | 'user' | 'server' | 'link' | 'reply' | 'check' | 'upload' | 'timer' | 'other';

/** What the inspector reads of a snapshot. */
export interface StepSnapshot {
  readonly value: unknown;
  readonly context: Readonly<Record<string, unknown>>;
}

/** One step of the timeline. */
export interface Step {
  /** The time of the step (ms since the epoch): the page's clock live, the recording's in a replay. */
  readonly t: number;
  /** The event the machine took; absent for its start. */
  readonly event?: { readonly type: string };
  /** In a replay, the timer the recording fired at this step (its number). */
  readonly timer?: number;
  readonly source: StepSource;
  readonly snapshot: StepSnapshot;
}

const SOURCES: ReadonlySet<string> = new Set(['user', 'server', 'link', 'reply', 'check', 'upload', 'timer']);

/** Where an event type came from: `user.send` → `user`, `xstate.after.closeGrace…` → `timer`. */
export function sourceOf(type: string | undefined): StepSource {
  if (type === undefined) return 'start';
  if (type.startsWith('xstate.after.')) return 'timer';
  const head = type.split('.')[0] ?? '';
  return SOURCES.has(head) ? (head as StepSource) : 'other';
}

/** The paths of the active state nodes of a state value (`chat`, `chat.live`, `chat.live.session`…; `""` is the root). */
export function activePaths(value: unknown): Set<string> {
  const paths = new Set<string>(['']);
  const walk = (prefix: string, v: unknown) => {
    if (typeof v === 'string') {
      paths.add(prefix ? `${prefix}.${v}` : v);
      return;
    }
    if (typeof v === 'object' && v !== null) {
      for (const [key, inner] of Object.entries(v)) {
        const path = prefix ? `${prefix}.${key}` : key;
        paths.add(path);
        walk(path, inner);
      }
    }
  };
  walk('', value);
  return paths;
}

/**
 * Follows a live chat: turns the root actor's inspection events into steps (its start, then one
 * per event it took, the snapshot after it), and hands each to `step`.
 */
export function liveSteps(step: (step: Step) => void, now: () => number = Date.now): (event: InspectionEvent) => void {
  return (inspection) => {
    if (inspection.type !== '@xstate.snapshot' || inspection.actorRef.sessionId !== inspection.rootId) return;
    const { type } = inspection.event;
    if (type === 'xstate.stop') return;
    const snapshot = inspection.snapshot as unknown as StepSnapshot;
    step(type === 'xstate.init' ? { t: now(), source: 'start', snapshot } : { t: now(), event: inspection.event, source: sourceOf(type), snapshot });
  };
}

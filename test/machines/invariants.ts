import { chatMachine, connect } from '../../machines';
import type { ChatEvent, ChatSnapshot } from '../../machines';
import { registration } from './harness';

/** What must hold of every snapshot the chat machine can rest in. */
export interface Observed {
  readonly snapshot: ChatSnapshot;
  /** Whether the `link` actor (the socket) is running. */
  readonly linkAlive: boolean;
}

/** Whether the machine refuses an event where it is: the event's only transition is the typed refusal. */
function refuses(snapshot: ChatSnapshot, event: ChatEvent): boolean {
  const taken = chatMachine.getTransitionData(snapshot, event);
  return taken.length > 0 && taken.every((t) => t.target === undefined && t.actions.some((a) => (a as { type?: string }).type === 'refuse'));
}

/** Whether an event leads into `live.starting` from where the machine is. */
function startsAChat(snapshot: ChatSnapshot, event: ChatEvent): boolean {
  return chatMachine.getTransitionData(snapshot, event).some((t) => (t.target ?? []).some((target) => target.id === 'cention.chat.live.starting'));
}

const HOLDS_A_SESSION = ['session', 'closing', 'offline', 'rejoining'] as const;

/**
 * The machine's own invariants, each a sentence; returns those that do not hold. They tie the
 * chart to what users see: the view, the socket's life, and the answers to commands.
 */
export function brokenInvariants({ snapshot, linkAlive }: Observed): string[] {
  const broken: string[] = [];
  const { context } = snapshot;
  const view = connect(snapshot);
  const live = snapshot.matches({ chat: 'live' });
  const check = (holds: boolean, sentence: string) => {
    if (!holds) broken.push(sentence);
  };

  check(linkAlive === live, 'the socket runs exactly while the chat is live');
  check(!view.online || linkAlive, 'a view that says online has a socket');
  for (const state of HOLDS_A_SESSION) {
    if (snapshot.matches({ chat: { live: state } })) check(context.session !== undefined, `${state} holds the session the server confirmed`);
  }
  check(snapshot.matches({ availability: 'checking' }) === context.checksInFlight > 0, 'availability is checking exactly while a check is in flight');
  check(!snapshot.matches({ chat: { live: { session: 'connected' } } }) || context.queuePosition === undefined, 'a connected chat has no queue place');
  check(!snapshot.matches({ chat: 'finished' }) || (context.typing.agent === 0 && context.queuePosition === undefined && context.typing.held === undefined), 'a finished chat has no typing agent, queue place or held preview');
  check(!snapshot.matches({ chat: 'finished' }) || context.outbox.every((entry) => entry.state !== 'queued' && entry.state !== 'sending'), 'a finished chat has nothing left to send');
  check(!(snapshot.matches({ chat: { live: 'closing' } }) || snapshot.matches({ chat: 'finished' })) || !context.closeRequested, 'a close under way or done is not asked for again');
  check(new Set(context.outbox.map((entry) => entry.umid)).size === context.outbox.length, 'the outbox holds each message once');
  check(view.canSend === !refuses(snapshot, { type: 'user.send', umid: 'invariant', text: 'hi' }), 'the view offers sending exactly where the machine takes a message');
  check(view.canStart === startsAChat(snapshot, { type: 'user.start', registration }), 'the view offers a start exactly where a start begins a chat');
  return broken;
}

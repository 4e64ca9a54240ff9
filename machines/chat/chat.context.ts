import { Delivered } from './chat.delivered';
import { Transcript } from './chat.transcript';
import type { ChatContext, ChatInput, TypingState } from './chat.types';

/** Nobody typing, no preview held. */
export const NOT_TYPING: TypingState = { agent: 0, held: undefined };

/** The context of a machine that has seen nothing yet. */
export function initialContext(input: ChatInput | undefined): ChatContext {
  return {
    checksInFlight: 0,
    availability: undefined,
    session: undefined,
    registration: undefined,
    resumeSecret: undefined,
    transcript: Transcript.empty(),
    outbox: [],
    delivered: Delivered.empty(),
    uploads: [],
    queuePosition: undefined,
    agent: '',
    typing: NOT_TYPING,
    unread: 0,
    mcount: 0,
    closeRequested: false,
    connectErrors: { count: 0, max: Math.max(1, input?.maxConnectErrors ?? 3) },
    endedWhileOffline: false,
    lastError: undefined,
  };
}

/** A context for a new chat: what belongs to one chat is cleared, the availability check stays. */
export function freshChat(context: ChatContext): ChatContext {
  return {
    ...initialContext({ maxConnectErrors: context.connectErrors.max }),
    checksInFlight: context.checksInFlight,
    availability: context.availability,
  };
}

import { Delivered } from './chat.delivered';
import { Transcript } from './chat.transcript';
import type { ChatContext, ChatInput } from './chat.types';

/** The context of a machine that has seen nothing yet. */
export function initialContext(input: ChatInput | undefined): ChatContext {
  return {
    area: undefined,
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
    agentTyping: 0,
    unread: 0,
    pendingPreview: undefined,
    mcount: 0,
    closeRequested: false,
    connectErrors: 0,
    maxConnectErrors: Math.max(1, input?.maxConnectErrors ?? 3),
    endedWhileOffline: false,
    lastError: undefined,
  };
}

/** A context for a new chat: what belongs to one chat is cleared, the availability check stays. */
export function freshChat(context: ChatContext): ChatContext {
  return {
    ...initialContext({ maxConnectErrors: context.maxConnectErrors }),
    area: context.area,
    checksInFlight: context.checksInFlight,
    availability: context.availability,
  };
}

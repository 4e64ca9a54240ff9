import { TRANSIENT } from './chat.faults';
import type { ChatContext, ChatEvent, EventOf } from './chat.types';

/** What a guard is asked with. */
interface GuardArgs {
  readonly context: ChatContext;
  readonly event: ChatEvent;
}

/** The machine's conditions, by name: the chart refers to each by its name. */
export const guards = {
  hasSession: ({ context }: GuardArgs) => context.session !== undefined,
  /** The page holds a chat: one the server confirmed, or one an earlier page kept that it is resuming. */
  holdsAChat: ({ context }: GuardArgs) => context.session !== undefined || context.resumeSecret !== undefined,
  hasAgent: ({ context }: GuardArgs) => context.agent !== '',
  hasAvailability: ({ context }: GuardArgs) => context.availability !== undefined,
  closeRequested: ({ context }: GuardArgs) => context.closeRequested,
  moreChecksPending: ({ context }: GuardArgs) => context.checksInFlight > 1,
  /** A start or resume gives up: the link says no retry can succeed, or too many failed in a row. */
  tooManyConnectErrors: ({ context, event }: GuardArgs) => (event as EventOf<'link.connectError'>).final === true || context.connectErrors.count + 1 >= context.connectErrors.max,
  replyOk: ({ event }: GuardArgs) => (event as EventOf<'reply.register'>).reply.ok,
  replyIsTransient: ({ event }: GuardArgs) => {
    const { reply } = event as EventOf<'reply.register'>;
    return !reply.ok && TRANSIENT.has(reply.error);
  },
  replyIs: ({ event }: GuardArgs, params: { error: string }) => {
    const { reply } = event as EventOf<'reply.register'>;
    return !reply.ok && reply.error === params.error;
  },
  namesAgent: ({ event }: GuardArgs) => (event as EventOf<'server.chatMessage'>).agent !== '',
};

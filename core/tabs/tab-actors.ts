/**
 * The chat machine's I/O actors in a tab that shares its chat: each runs its real work (the
 * socket, a `canchat` request, an upload) only while its tab leads. In a following tab it is
 * inert: what the leader's actor sent back reaches this tab's machine through the log. When the
 * tab takes the lead, each starts its real work where the machine is: the link first tells the
 * machine that the old link is gone (what was in flight goes back to the outbox), then opens
 * the socket, and the machine rejoins and resends with the same umids; a check or an upload
 * that was under way in the old leader is made again. When the tab lets go of the lead, the
 * real work stops without a word to the machine: the log says what happens next.
 *
 * @module
 */
import type { AnyActorLogic, AnyEventObject, CallbackLogicFunction, EventObject, NonReducibleUnknown } from 'xstate';
import type { CanChatInput, LinkCommand, LinkEvent, UploadInput } from '../../machines';
import type { ChatActors } from '../../machines/chat/chat.bound';
import { callbackLogic } from '../callback-logic';

/** Whether this tab leads, and word when that changes. */
export interface Lead {
  readonly leading: boolean;
  /** `change(true)` when the tab takes the lead, `change(false)` when it lets go; returns the unsubscribe function. */
  watch(change: (leading: boolean) => void): () => void;
}

type Callback<TEvent extends EventObject, TInput> = CallbackLogicFunction<TEvent, AnyEventObject, TInput>;

/** The callback of a `fromCallback` logic (XState keeps it as the logic's `config`). */
function callbackOf<TEvent extends EventObject, TInput>(logic: AnyActorLogic): Callback<TEvent, TInput> {
  const callback = (logic as { config?: unknown }).config;
  if (typeof callback !== 'function') throw new TypeError('Tab sharing needs the chat I/O actors as fromCallback logic.');
  return callback as Callback<TEvent, TInput>;
}

/** `real`, run only while the tab leads; `onTakeOver` tells the machine first when the lead came from another tab. */
function whileLeading<TEvent extends EventObject, TInput>(real: AnyActorLogic, lead: Lead, onTakeOver?: (sendBack: (event: LinkEvent) => void) => void) {
  const run = callbackOf<TEvent, TInput>(real);
  return callbackLogic<TEvent, TInput>((params) => {
    const receivers = new Set<(event: TEvent) => void>();
    params.receive((event) => {
      for (const receiver of receivers) receiver(event);
    });
    let stopReal: (() => void) | undefined;
    const start = (tookOver: boolean) => {
      if (stopReal) return;
      if (tookOver) onTakeOver?.(params.sendBack);
      const own = new Set<(event: TEvent) => void>();
      const cleanup = run({ ...params, receive: (listener) => void (own.add(listener), receivers.add(listener)) });
      stopReal = () => {
        for (const listener of own) receivers.delete(listener);
        if (typeof cleanup === 'function') cleanup();
      };
    };
    const stop = () => {
      const stopping = stopReal;
      stopReal = undefined;
      stopping?.();
    };
    if (lead.leading) start(false);
    const unwatch = lead.watch((leading) => (leading ? start(true) : stop()));
    return () => {
      unwatch();
      stop();
    };
  });
}

/** The machine's actors as a sharing tab runs them. */
export function tabActors(real: ChatActors, lead: Lead): ChatActors {
  const actors = {
    link: whileLeading<LinkCommand, NonReducibleUnknown>(real.link, lead, (sendBack) => {
      sendBack({ type: 'link.disconnected', reason: 'the tab that held the connection is gone' } satisfies LinkEvent);
    }),
    canChat: whileLeading<EventObject, CanChatInput>(real.canChat, lead),
    upload: whileLeading<EventObject, UploadInput>(real.upload, lead),
  };
  // The same logics as the real ones, as the machine's slots type them.
  return actors as unknown as ChatActors;
}

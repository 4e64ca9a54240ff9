/**
 * The commands beside the machine: leaving a message and rating a chat (plain HTTP, `errands.ts`),
 * and the links to a chat's transcript and files. They read the machine's snapshot but send it
 * nothing, so they never load the runtime on their own.
 *
 * @module
 */
import { phaseOf } from '../../machines/chat/chat.connect';
import type { ChatSnapshot } from '../../machines';
import { createErrand, errandPayload, NOT_ENDED, rateChat, ratingPayload } from '../errands';
import { ChatError } from '../errors';
import type { RuntimeConfig } from '../runtime/types';
import type { ChatEngine } from './types';

/** What these commands need of the engine. */
export interface Beside {
  readonly config: RuntimeConfig;
  /** The machine's snapshot now. */
  getSnapshot(): ChatSnapshot;
  /** Throws `invalid-state` once the engine was stopped. */
  ensureRunning(): void;
  /** The area a command uses (its own, else the client's); throws `invalid-input` without one. */
  areaOf(area: number | undefined, what: string): number;
  /** Throws `invalid-input` with `what` when `input` is not an object. */
  needs(input: unknown, what: string): void;
}

/** Makes the commands beside the machine of one engine. */
export function besideTheMachine({ config, getSnapshot, ensureRunning, areaOf, needs }: Beside): Pick<ChatEngine, 'historyUrls' | 'leaveMessage' | 'rate' | 'downloadUrl'> {
  const { endpoints, http } = config;
  const session = () => getSnapshot().context.session;
  return {
    historyUrls() {
      const current = session();
      if (!current) return undefined;
      const query = { area: current.areaId, secret: current.sessionSecret };
      return { save: endpoints.api('savehistory', query), print: endpoints.api('printhistory', query) };
    },

    leaveMessage(input) {
      ensureRunning();
      needs(input, 'leaveMessage() needs { name, email, subject, message } and optionally area.');
      return createErrand(http, errandPayload(input, areaOf(input.area, 'leaveMessage()')));
    },

    rate(input) {
      ensureRunning();
      needs(input, 'rate() needs { rating } (1 to 5) and optionally a comment.');
      const snapshot = getSnapshot();
      const { session: current } = snapshot.context;
      // A bad rating is the caller's mistake whatever the chat's state: it is told first.
      const payload = ratingPayload(input, current?.sessionSecret ?? 'no chat yet');
      if (!current) return Promise.reject(new ChatError('no-session', 'There is no chat to rate.'));
      if (phaseOf(snapshot) !== 'finished') return Promise.reject(new ChatError('invalid-state', NOT_ENDED));
      return rateChat(http, payload);
    },

    downloadUrl(download) {
      const current = session();
      return current ? endpoints.download(download, current.sessionSecret) : undefined;
    },
  };
}

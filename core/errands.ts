/**
 * Leave a message and rate a chat (docs/protocol.md §7): one JSON `POST` each, to
 * `…/external.api/createerrand` and `…/external.api/chatrating`. Plain HTTP beside the chat
 * machine, which has no part in them: a message is left when no chat can start, a rating once
 * the chat is over.
 *
 * @module
 */
import { faultFromWire } from '../machines';
import type { Clock } from './clock';
import { ChatError } from './errors';
import { errorOf } from './http';
import { RATING_ERRORS, readChatRating, readCreateErrand, readErrandCreated } from './protocol';
import type { ChatRatingPayload, CreateErrandPayload, Endpoints, ErrandCreated } from './protocol';

/** What `leaveMessage()` takes: who the customer is, how to reach them, and what they ask. */
export interface LeaveMessageOptions {
  /** Default: the client's `area`. */
  readonly area?: number;
  /** 1 to 200 characters. */
  readonly name: string;
  /** Where the contact centre answers; required. */
  readonly email: string;
  /** What it is about: 1 to 200 characters. */
  readonly subject: string;
  /** 1 to 10,000 characters. */
  readonly message: string;
}

/** What `rate()` takes. */
export interface RateOptions {
  /** An integer from 1 (bad) to 5 (very good). */
  readonly rating: number;
  /** Up to 1,000 characters. */
  readonly comment?: string;
}

/** What the two requests need. */
export interface ErrandHttp {
  readonly endpoints: Endpoints;
  readonly fetch: typeof globalThis.fetch;
  readonly clock: Clock;
  /** How long a request may take (ms). */
  readonly timeout: number;
}

/** Checks the fields before anything is sent; throws `invalid-input` naming the first bad one. */
export function errandPayload(options: LeaveMessageOptions, area: number): CreateErrandPayload {
  const checked = readCreateErrand({ ...options, area });
  if (!checked.ok) throw new ChatError('invalid-input', `leaveMessage(): ${checked.field} is missing or invalid.`);
  return checked.value;
}

/** Checks a rating before anything is sent; throws `invalid-input` naming the bad field. */
export function ratingPayload(options: RateOptions, secret: string): ChatRatingPayload {
  const checked = readChatRating({ secret, rating: options.rating, comment: options.comment ?? '' });
  if (!checked.ok) throw new ChatError('invalid-input', checked.field === 'rating' ? `rate(): rating must be a whole number from 1 to 5, got ${String(options.rating)}.` : `rate(): ${checked.field} is missing or invalid.`);
  return checked.value;
}

/** What a refusal of the server means, as a code and a sentence. */
function refusal(status: number, error: string | undefined, what: string): ChatError {
  if (error === RATING_ERRORS.alreadyRated) return new ChatError('already-rated', 'This chat has already been rated.');
  if (error === RATING_ERRORS.notEnded) return new ChatError('invalid-state', 'The chat has not ended yet; rate it once it has.');
  if (error === RATING_ERRORS.wrongSecret) return new ChatError('no-session', 'The chat server does not know this chat.');
  if (status === 413) return new ChatError('invalid-input', `The chat server refused ${what}: it is too large.`);
  if (error === undefined || status >= 500) return new ChatError('http-error', `${what} failed: ${error ?? `HTTP ${status}`}.`);
  return ChatError.from(faultFromWire(error, 'session'));
}

/** One JSON `POST` with a timeout on the injected clock; resolves with the 2xx body, rejects with a `ChatError`. */
async function post(http: ErrandHttp, name: 'createerrand' | 'chatrating', body: unknown, what: string): Promise<unknown> {
  const aborter = new AbortController();
  let timedOut = false;
  const timer = http.clock.setTimeout(() => {
    timedOut = true;
    aborter.abort();
  }, http.timeout);
  try {
    const response = await http.fetch(http.endpoints.api(name), {
      method: 'POST',
      credentials: 'include',
      signal: aborter.signal,
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw refusal(response.status, await errorOf(response), what);
    return await response.json().catch(() => undefined);
  } catch (error) {
    if (error instanceof ChatError) throw error;
    if (timedOut) throw new ChatError('timeout', `The chat server did not answer within ${http.timeout} ms.`);
    throw new ChatError('http-error', `${what} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  } finally {
    http.clock.clearTimeout(timer);
  }
}

/** `POST …/createerrand`: resolves with the errand's reference. */
export async function createErrand(http: ErrandHttp, payload: CreateErrandPayload): Promise<ErrandCreated> {
  const created = readErrandCreated(await post(http, 'createerrand', payload, 'Leaving the message'));
  if (!created) throw new ChatError('server-error', 'The chat server took the message but gave no reference.');
  return created;
}

/** `POST …/chatrating`: resolves once the server has kept the rating. */
export async function rateChat(http: ErrandHttp, payload: ChatRatingPayload): Promise<void> {
  await post(http, 'chatrating', payload, 'Rating the chat');
}

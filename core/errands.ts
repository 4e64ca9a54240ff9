/**
 * Leave a message and rate a chat (docs/protocol.md §7): one JSON `POST` each, to
 * `…/external.api/createerrand` and `…/external.api/chatrating`. Plain HTTP beside the chat
 * machine, which has no part in them: a message is left when no chat can start, a rating once
 * the chat is over.
 *
 * @module
 */
import { faultFromWire } from '../machines/chat/chat.faults';
import { ChatError } from './errors';
import { errorOf, request } from './http';
import type { HttpConfig } from './http';
import { readChatRating, readCreateErrand } from './protocol/checks';
import { readErrandCreated } from './protocol/replies';
import { RATING_ERRORS } from './protocol/wire';
import type { ChatRatingPayload, CreateErrandPayload, ErrandCreated, ReadResult } from './protocol';

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

/** The value of a checked payload, or `invalid-input` naming the command and the first bad field. */
export function checked<T>(command: string, result: ReadResult<T>, why = 'is missing or invalid'): T {
  if (!result.ok) throw new ChatError('invalid-input', `${command}: ${result.field} ${why}.`);
  return result.value;
}

/** Checks the fields before anything is sent; throws `invalid-input` naming the first bad one. */
export function errandPayload(options: LeaveMessageOptions, area: number): CreateErrandPayload {
  return checked('leaveMessage()', readCreateErrand({ ...options, area }));
}

/** Checks a rating before anything is sent; throws `invalid-input` naming the bad field. */
export function ratingPayload(options: RateOptions, secret: string): ChatRatingPayload {
  const result = readChatRating({ secret, rating: options.rating, comment: options.comment ?? '' });
  return checked('rate()', result, !result.ok && result.field === 'rating' ? `must be a whole number from 1 to 5, got ${String(options.rating)}` : undefined);
}

/** Why a chat cannot be rated yet. */
export const NOT_ENDED = 'The chat has not ended yet; rate it once it has.';

/** What a refusal of the server means, as a code and a sentence. */
function refusal(status: number, error: string | undefined, what: string): ChatError {
  if (error === RATING_ERRORS.alreadyRated) return new ChatError('already-rated', 'This chat has already been rated.');
  if (error === RATING_ERRORS.notEnded) return new ChatError('invalid-state', NOT_ENDED);
  if (error === RATING_ERRORS.wrongSecret) return ChatError.from(faultFromWire('no session', 'resume'));
  if (status === 413) return new ChatError('invalid-input', `${what} failed: the chat server found it too large.`);
  if (error === undefined || status >= 500) return new ChatError('http-error', `${what} failed: ${error ?? `HTTP ${status}`}.`);
  return ChatError.from(faultFromWire(error, 'session'));
}

/** One JSON `POST`; resolves with the 2xx body, rejects with a `ChatError`. */
function post(http: HttpConfig, name: 'createerrand' | 'chatrating', body: unknown, what: string): Promise<unknown> {
  const init = { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' }, body: JSON.stringify(body) };
  return request(http, http.endpoints.api(name), init, what, async (response) => {
    if (!response.ok) throw refusal(response.status, await errorOf(response), what);
    return response.json().catch(() => undefined);
  });
}

/** `POST …/createerrand`: resolves with the errand's reference. */
export async function createErrand(http: HttpConfig, payload: CreateErrandPayload): Promise<ErrandCreated> {
  const created = readErrandCreated(await post(http, 'createerrand', payload, 'Leaving the message'));
  if (!created) throw new ChatError('server-error', 'The chat server took the message but gave no reference.');
  return created;
}

/** `POST …/chatrating`: resolves once the server has kept the rating. */
export async function rateChat(http: HttpConfig, payload: ChatRatingPayload): Promise<void> {
  await post(http, 'chatrating', payload, 'Rating the chat');
}

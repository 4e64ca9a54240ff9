/**
 * Leave a message and rate a chat (docs/protocol.md §7): `POST …/external.api/createerrand`
 * turns a message left when nobody can chat into an errand with a reference, and
 * `POST …/external.api/chatrating` keeps a customer's rating of an ended chat, once per chat.
 * Both read a bounded JSON body with the protocol's strict readers; the agent console shows
 * what they keep.
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '../core/clock';
import type { ChatRated, CreateErrandPayload, ErrandCreated } from '../core/protocol';
import { CONTACT_LIMITS, RATING_ERRORS, WIRE_ERRORS, invalidInput, readChatRating, readCreateErrand } from '../core/protocol';
import type { Area } from './areas';
import type { Emitter } from './emitter';
import type { ChatServerEventMap } from './events';
import { sendJson } from './http-util';
import { readJsonBody } from './json-body';
import type { SessionStore } from './sessions';
import { lingerThenCut } from './uploads';

/** A message a customer left: what they wrote, for which area, and its reference. */
export interface Errand extends Omit<CreateErrandPayload, 'area'> {
  readonly id: number;
  /** What the customer quotes: `E-<id>`. */
  readonly reference: string;
  readonly areaId: number;
  readonly areaName: string;
  /** Unix ms. */
  readonly createdAt: number;
}

/** How many errands the server keeps; the oldest goes first, so posting cannot grow memory without end. */
export const ERRANDS_KEPT = 1000;

/** The errands left, newest last, at most {@link ERRANDS_KEPT}. */
export class ErrandStore {
  private readonly kept: Errand[] = [];
  // Ids keep counting when old errands are dropped, so a reference never names two errands.
  private nextId = 1;

  constructor(private readonly limit = ERRANDS_KEPT) {}

  create(area: Area, payload: CreateErrandPayload, now: number): Errand {
    const id = this.nextId++;
    const { name, email, subject, message } = payload;
    const errand: Errand = { id, reference: `E-${id}`, areaId: area.id, areaName: area.name, name, email, subject, message, createdAt: now };
    this.kept.push(errand);
    if (this.kept.length > this.limit) this.kept.splice(0, this.kept.length - this.limit);
    return errand;
  }

  /** Every errand kept, oldest first. */
  all(): readonly Errand[] {
    return [...this.kept];
  }
}

/** What the two routes need. */
export interface ContactDeps {
  readonly areas: ReadonlyMap<number, Area>;
  readonly sessions: SessionStore;
  readonly errands: ErrandStore;
  readonly clock: Clock;
  readonly events: Emitter<ChatServerEventMap>;
  /** Answers `{error}` with a 4xx status and reports it as bad input of the kind `<route> <status>`. */
  readonly refuse: (req: IncomingMessage, res: ServerResponse, route: string, status: number, error: string) => void;
}

/** Reads the body, or refuses it (and cuts a client that goes on sending too much). */
async function body(route: string, req: IncomingMessage, res: ServerResponse, deps: ContactDeps): Promise<unknown> {
  const read = await readJsonBody(req, CONTACT_LIMITS.bodyMax);
  if (read.ok) return read.value;
  deps.refuse(req, res, route, read.status, read.error);
  lingerThenCut(req, deps.clock);
  return undefined;
}

/** `POST …/createerrand`: `200 {reference}`, or `400 {error}` (`invalid input: <field>`, `unknown area`), 413, 415. */
export async function handleCreateErrand(req: IncomingMessage, res: ServerResponse, deps: ContactDeps): Promise<void> {
  const raw = await body('createerrand', req, res, deps);
  if (raw === undefined) return;
  const checked = readCreateErrand(raw);
  if (!checked.ok) return deps.refuse(req, res, 'createerrand', 400, invalidInput(checked.field));
  const area = deps.areas.get(checked.value.area);
  if (!area) return deps.refuse(req, res, 'createerrand', 400, WIRE_ERRORS.unknownArea);
  const errand = deps.errands.create(area, checked.value, deps.clock.now());
  sendJson(res, 200, { reference: errand.reference } satisfies ErrandCreated);
  deps.events.emit('errand-created', errand);
}

/**
 * `POST …/chatrating`: `200 {rated: true}`, or `400 invalid input: <field>`, `403 wrong session
 * secret`, `409 chat not ended` / `already rated`, 413, 415.
 */
export async function handleChatRating(req: IncomingMessage, res: ServerResponse, deps: ContactDeps): Promise<void> {
  const raw = await body('chatrating', req, res, deps);
  if (raw === undefined) return;
  const checked = readChatRating(raw);
  if (!checked.ok) return deps.refuse(req, res, 'chatrating', 400, invalidInput(checked.field));
  const session = deps.sessions.withSecret(checked.value.secret);
  if (!session) return deps.refuse(req, res, 'chatrating', 403, RATING_ERRORS.wrongSecret);
  if (session.live) return deps.refuse(req, res, 'chatrating', 409, RATING_ERRORS.notEnded);
  if (session.rating) return deps.refuse(req, res, 'chatrating', 409, RATING_ERRORS.alreadyRated);
  const rating = { rating: checked.value.rating, comment: checked.value.comment, ratedAt: deps.clock.now() };
  session.rating = rating;
  sendJson(res, 200, { rated: true } satisfies ChatRated);
  deps.events.emit('chat-rated', { sessionId: session.id, rating });
  deps.events.emit('chat-changed', { sessionId: session.id });
}

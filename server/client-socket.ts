/**
 * One chat client's socket: counts each event against the socket's and its address's limits,
 * decodes it leniently, checks it strictly with the protocol's readers, and hands it to the
 * hub. Bad input gets an error ack (or is ignored when no ack was asked for) and is logged
 * once per socket and kind, and so does an event over a limit (`{error: "rate limited"}`);
 * nothing a client sends can throw out of here.
 *
 * @module
 */
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'socket.io';
import type { ReadResult } from '../core/protocol';
import { WIRE_ERRORS, decodePayload, invalidInput, readAddAttachment, readChatMessagePayload, readPreviewPayload, readRegister, readResume } from '../core/protocol';
import type { BadInputLog, Logger } from './bad-input';
import { errorText } from './bad-input';
import type { ChatHub, ClientLink, Reply } from './chat-hub';
import type { ClientOutbox } from './client-outbox';
import type { BrowserKeys } from './cookies';
import type { Emitter } from './emitter';
import type { ChatServerEventMap } from './events';
import type { SocketAction, SocketLimits } from './limits';
import { RATE_LIMITED } from './rate-limit';

/** What a client socket needs. */
export interface ClientSocketDeps {
  readonly hub: ChatHub;
  readonly outbox: ClientOutbox;
  readonly badInput: BadInputLog;
  readonly browserKeys: BrowserKeys;
  readonly events: Emitter<ChatServerEventMap>;
  readonly logger: Logger;
  readonly limits: SocketLimits;
  /** The client's address, which the limits count by. */
  readonly addressOf: (req: IncomingMessage) => string;
}

/** The limit each client event counts against. */
const LIMITED: Readonly<Record<string, SocketAction>> = {
  register: 'registers',
  resume: 'registers',
  'chat message': 'messages',
  'add attachment': 'messages',
  preview: 'previews',
};

type Ack = (...args: unknown[]) => void;

/** Serves the chat protocol on one connected client socket. */
export function serveClientSocket(socket: Socket, deps: ClientSocketDeps): void {
  const { hub, outbox, badInput, events, limits } = deps;
  const link: ClientLink = { socketId: socket.id, browserKey: deps.browserKeys.keyOf(socket.request).key };
  const address = deps.addressOf(socket.request);

  /** Answers `rate limited`; a socket that has had too many such answers and goes on is disconnected. */
  const rateLimited = (event: string, detail: string, reply: Reply): false => {
    badInput.report(socket.id, `rate limited ${event}`, detail);
    reply({ error: RATE_LIMITED });
    if (!limits.mayRefuseAgain(socket.id) && socket.connected) {
      badInput.report(socket.id, 'flooding', `disconnected: ${address} went on after too many "${RATE_LIMITED}" answers`);
      socket.disconnect(true);
    }
    return false;
  };

  /** Whether the event may go on; answers `rate limited` when it may not. Counted before decoding: junk costs too. */
  const withinLimits = (event: string, reply: Reply): boolean => {
    const action = LIMITED[event];
    return action === undefined || limits.allows(action, socket.id, address) || rateLimited(event, `over the ${action} limit of the socket or of ${address}`, reply);
  };

  /** Whether the address may have this much more text stored; answers `rate limited` when it may not. */
  const withinText = (event: string, text: string, reply: Reply): boolean => limits.allowsText(address, text.length) || rateLimited(event, `over the text limit of ${address}`, reply);

  const refuse = (event: string, result: ReadResult<unknown>, reply: Reply): void => {
    if (result.ok) return;
    const error = invalidInput(result.field);
    badInput.report(socket.id, `invalid ${event}`, error);
    reply({ error });
  };

  const dispatch = (event: string, raw: unknown, reply: Reply): void => {
    if (event === 'register') {
      const read = readRegister(raw);
      if (!read.ok) return refuse(event, read, reply);
      return withinText(event, read.value.message, reply) ? hub.register(link, read.value, reply) : undefined;
    }
    if (event === 'resume') {
      const read = readResume(raw);
      return read.ok ? hub.resume(link, read.value, reply) : refuse(event, read, reply);
    }
    if (event !== 'chat message' && event !== 'preview' && event !== 'add attachment' && event !== 'close chat') {
      badInput.report(socket.id, 'unknown event', JSON.stringify(event.slice(0, 64)));
      return reply({ error: `unknown event: ${event.slice(0, 64)}` });
    }
    const session = hub.sessionOfSocket(socket.id);
    if (!session) return reply({ error: WIRE_ERRORS.noSession });
    if (!session.live) return hub.refuseClosed(socket.id, session, reply);
    switch (event) {
      case 'chat message': {
        const read = readChatMessagePayload(raw);
        if (!read.ok) return refuse(event, read, reply);
        return withinText(event, read.value.message, reply) ? hub.clientMessage(link, session, read.value, reply) : undefined;
      }
      case 'preview': {
        const read = readPreviewPayload(raw);
        if (!read.ok) return refuse(event, read, reply);
        hub.preview(session, read.value.preview);
        // `preview` has no reply (§4); a client that asks for an ack anyway is not left waiting.
        return reply({ ok: true });
      }
      case 'add attachment': {
        const read = readAddAttachment(raw);
        return read.ok ? hub.addAttachment(session, read.value, reply) : refuse(event, read, reply);
      }
      case 'close chat':
        return hub.closeByClient(session, reply);
    }
  };

  socket.onAny((name: unknown, ...args: unknown[]) => {
    const ack = typeof args.at(-1) === 'function' ? (args.pop() as Ack) : undefined;
    let answered = false;
    const reply: Reply = (payload) => {
      if (answered) return;
      answered = true;
      // The session as it is after the event (a register just made it), for its faults.
      outbox.reply(ack, payload, hub.sessionOfSocket(socket.id)?.id);
    };
    const event = typeof name === 'string' ? name : String(name);
    try {
      if (!withinLimits(event, reply)) return;
      dispatch(event, decodePayload(args[0]), reply);
    } catch (error) {
      // A bug of ours must not take the server down: answer, and say loudly what happened.
      deps.logger(`cention-chat server: "${event.slice(0, 64)}" from ${socket.id} failed: ${errorText(error)}`);
      reply({ error: 'server error' });
    }
  });

  socket.on('disconnect', (reason) => {
    const session = hub.detach(socket.id);
    badInput.forget(socket.id);
    limits.forgetSocket(socket.id);
    events.emit('client-disconnected', { socketId: socket.id, sessionId: session?.id, reason });
  });

  events.emit('client-connected', { socketId: socket.id, origin: socket.handshake.headers.origin });
}

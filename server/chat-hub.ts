/**
 * The rules of a chat's life (docs/protocol.md §4–§5): register, resume, messages, attachments,
 * the queue, agents joining, and the end. Client sockets, the agent console, the simulated
 * agents and the test API all act through this one place, which sends what each step sends,
 * in the order the protocol sets.
 *
 * @module
 */
import type { Clock } from '../core/clock';
import type { Message, MessageSent, RegisterPayload, ResumePayload, ServerEventName, SessionInfo, SystemEvent, ChatMessagePayload, AddAttachmentPayload } from '../core/protocol';
import { ALREADY_SEEN_PREFIX, AUTO_ACK, WIRE_ERRORS, invalidInput, isPlainName, passesForSystemText } from '../core/protocol';
import type { Area } from './areas';
import type { ClientOutbox, PayloadArgs } from './client-outbox';
import type { Emitter } from './emitter';
import type { ChatServerEventMap, SessionSnapshot } from './events';
import type { AreaQueues, PlaceChange } from './queue';
import type { AssignedAgent, ChatSession, EndReason, SessionStore } from './sessions';
import type { StoredFile, UploadStore } from './uploads';
import { toUploadResult } from './uploads';

/** The name in `OWNER_ENDS_CHAT` when a chat expires, or an agent action has no agent. */
export const SYSTEM_NAME = 'System';

/** An ack callback: called once with the reply, or a no-op when the client asked for none. */
export type Reply = (payload: unknown) => void;

/** A client socket as the hub knows it. */
export interface ClientLink {
  readonly socketId: string;
  /** The browser's `CentionChatSession` key. */
  readonly browserKey: string | undefined;
}

/** An agent action that cannot be done (unknown chat, ended chat, no agent...). */
export class AgentActionError extends Error {
  override readonly name = 'AgentActionError';
}

/** What the hub works with. */
export interface ChatHubDeps {
  readonly clock: Clock;
  readonly areas: ReadonlyMap<number, Area>;
  readonly store: SessionStore;
  readonly queues: AreaQueues;
  readonly uploads: UploadStore;
  readonly outbox: ClientOutbox;
  readonly events: Emitter<ChatServerEventMap>;
  /** How many people have the agent console open. */
  readonly peopleOnline: () => number;
  readonly reportBadInput: (source: string, kind: string, detail: string) => void;
  /** How long an ended chat stays (for history, resume's `chat closed`, the console) before the server forgets it. */
  readonly endedChatRetentionMs: number;
}

/** The longest name a person agent may have. */
export const AGENT_NAME_MAX = 60;

function messageSent(message: Message, id: string): MessageSent {
  return { id, umid: message.umid, sent: message.sent, sentHuman: message.sentHuman };
}

function sessionInfo(session: ChatSession): SessionInfo {
  return { sessionId: session.id, sessionSecret: session.secret, areaId: session.area.id, clientName: session.customer.name };
}

/** The chat rules, over the session store, the queues and the client outbox. */
export class ChatHub {
  private readonly socketSessions = new Map<string, ChatSession>();

  constructor(private readonly deps: ChatHubDeps) {}

  // ------------------------------------------------------------------ lookups

  session(id: number): ChatSession | undefined {
    return this.deps.store.get(id);
  }

  sessionOfSocket(socketId: string): ChatSession | undefined {
    return this.socketSessions.get(socketId);
  }

  /** The chats waiting in an area's queue, first in line first. */
  queueOf(areaId: number): readonly number[] {
    return [...this.deps.queues.ids(areaId)];
  }

  /** A chat's 1-based place in its area's queue, or 0 when it is not queued. */
  queuePlace(session: ChatSession): number {
    return this.deps.queues.place(session.area.id, session.id);
  }

  /** Agents online for chat in an area, busy or not (`canchat`'s `agentsAvailable`). */
  agentsOnline(area: Area): number {
    switch (area.agents.mode) {
      case 'simulated':
      case 'busy':
        return area.agents.names.length;
      case 'manual':
        return this.deps.peopleOnline();
      case 'none':
        return 0;
    }
  }

  snapshot(session: ChatSession): SessionSnapshot {
    return {
      id: session.id,
      secret: session.secret,
      areaId: session.area.id,
      clientName: session.customer.name,
      email: session.customer.email,
      phone: session.customer.phone,
      externalData: session.customer.externalData,
      href: session.href,
      state: session.state,
      agent: session.agentName,
      agentKind: session.agent?.kind,
      queuePosition: this.queuePlace(session),
      transcript: [...session.transcript],
      delivered: [...session.delivered],
      autoAcked: [...session.autoAcked],
      connectedSockets: session.sockets.size,
      endReason: session.endReason,
      startedAt: session.startedAt,
      rating: session.rating,
    };
  }

  // ------------------------------------------------------------------ client events (§4)

  /** `register`: checks the area, starts the chat, acks, echoes the question, queues it. */
  register(link: ClientLink, payload: RegisterPayload, reply: Reply): void {
    const { clock, areas, store, events } = this.deps;
    const area = areas.get(payload.area);
    if (!area) return reply({ error: WIRE_ERRORS.unknownArea });
    const now = clock.now();
    if (!area.isOpen(now)) return reply({ error: WIRE_ERRORS.chatClosed });
    if (this.agentsOnline(area) === 0) {
      this.toSocket(link.socketId, undefined, 'agent unavailable');
      return reply({ error: WIRE_ERRORS.agentUnavailable });
    }
    if (this.deps.queues.ids(area.id).length >= area.queueLimit) {
      this.toSocket(link.socketId, undefined, 'queue full');
      return reply({ error: WIRE_ERRORS.queueFull });
    }
    const customer = { name: payload.name, email: payload.email, phone: payload.phone, externalData: payload.externalData };
    const session = store.create(area, link.browserKey, customer, now);
    this.bind(link.socketId, session);
    this.touch(session);
    reply(sessionInfo(session));
    this.publish(session, this.deps.store.append(session, { sender: 'CLIENT', text: payload.message }, now));
    this.placeChanges(session.area.id, this.deps.queues.add(area.id, session.id));
    events.emit('session-registered', { sessionId: session.id, areaId: area.id, clientName: customer.name, socketId: link.socketId });
  }

  /** `resume`: finds the chat by secret or cookie, acks, sends the whole transcript, then the queue place. */
  resume(link: ClientLink, payload: ResumePayload, reply: Reply): void {
    const session = this.deps.store.named({ secret: payload.secret, browserKey: link.browserKey });
    if (!session) return reply({ error: WIRE_ERRORS.noSession });
    if (!session.live) return this.refuseClosed(link.socketId, session, reply);
    if (payload.trackClientUrl) session.href = payload.href;
    this.bind(link.socketId, session);
    this.touch(session);
    reply(sessionInfo(session));
    this.toSocket(link.socketId, session.id, 'chat message', { agent: session.agentName, chat: [...session.transcript], client: session.customer.name });
    const place = this.queuePlace(session);
    if (place > 0) this.toSocket(link.socketId, session.id, 'queue', place);
    // Extension (docs/protocol.md): deliveries announced while the socket was away are repeated.
    if (session.delivered.size > 0) this.toSocket(link.socketId, session.id, 'message acked', { ids: [...session.delivered] });
    this.deps.events.emit('session-resumed', { sessionId: session.id, socketId: link.socketId });
  }

  /** `chat message`: stores it once per umid, acks, sends `message sent`, echoes it. */
  clientMessage(link: ClientLink, session: ChatSession, payload: ChatMessagePayload, reply: Reply): void {
    const { store, clock, events } = this.deps;
    this.touch(session);
    const seen = session.umids.get(payload.id);
    if (seen) {
      const sent = messageSent(seen, ALREADY_SEEN_PREFIX + payload.id);
      reply(sent);
      this.toSocket(link.socketId, session.id, 'message sent', sent);
      events.emit('client-message', { sessionId: session.id, message: seen, alreadySeen: true });
      return;
    }
    const message = store.append(session, { sender: 'CLIENT', text: payload.message, umid: payload.id }, clock.now());
    const sent = messageSent(message, String(message.id));
    reply(sent);
    this.toSocket(link.socketId, session.id, 'message sent', sent);
    this.publish(session, message);
    events.emit('client-message', { sessionId: session.id, message, alreadySeen: false });
  }

  /** `preview`: passes the customer's typing on to the agent side. */
  preview(session: ChatSession, preview: string): void {
    this.touch(session);
    this.deps.events.emit('preview', { sessionId: session.id, preview });
  }

  /** `add attachment`: posts the FILE_UPLOAD system message of a file uploaded to this chat. */
  addAttachment(session: ChatSession, payload: AddAttachmentPayload, reply: Reply): void {
    if (payload.sessionSecret !== session.secret) return reply({ error: invalidInput('sessionSecret') });
    if (payload.area !== session.area.id) return reply({ error: invalidInput('area') });
    const file = this.deps.uploads.get(payload.file.id);
    if (!file || file.sessionId !== session.id || file.download !== payload.file.download) return reply({ error: invalidInput('file') });
    this.touch(session);
    reply({ ok: true });
    this.postFile(session, file, 'CLIENT', session.customer.name);
  }

  /** `close chat`: acks, then ends the chat as the client. */
  closeByClient(session: ChatSession, reply: Reply): void {
    reply({ closed: true });
    this.end(session, 'client', session.customer.name);
  }

  /** The answer to any event on an ended chat: the `chat closed` event, then the error. */
  refuseClosed(socketId: string, session: ChatSession, reply: Reply): void {
    this.toSocket(socketId, session.id, 'chat closed');
    reply({ error: WIRE_ERRORS.chatClosed });
  }

  /** Records the browser's auto-ack of a `chat message`. */
  autoAcked(socketId: string, sessionId: number | undefined, messageIds: readonly number[], value: unknown): void {
    if (value !== AUTO_ACK) this.deps.reportBadInput(socketId, 'auto-ack', `expected "${AUTO_ACK}", got ${JSON.stringify(value) ?? 'nothing'}`);
    const session = sessionId === undefined ? undefined : this.session(sessionId);
    if (!session) return;
    for (const id of messageIds) session.autoAcked.add(id);
    this.deps.events.emit('auto-ack', { sessionId: session.id, messageIds });
  }

  /** A client socket went away. */
  detach(socketId: string): ChatSession | undefined {
    const session = this.socketSessions.get(socketId);
    if (!session) return undefined;
    this.socketSessions.delete(socketId);
    session.sockets.delete(socketId);
    this.deps.events.emit('chat-changed', { sessionId: session.id });
    return session;
  }

  // ------------------------------------------------------------------ agent side

  /** An agent takes a queued chat: `AGENTS_ADDED`, then everyone behind it moves up. */
  assign(session: ChatSession, agent: AssignedAgent): void {
    checkAgentName(agent);
    if (!session.live) throw new AgentActionError(`chat ${session.id} has ended`);
    if (session.state !== 'queued') throw new AgentActionError(`chat ${session.id} already has an agent (${session.agentName})`);
    session.state = 'assigned';
    session.agent = agent;
    this.touch(session);
    this.publish(session, this.system(session, { event: 'AGENTS_ADDED', names: [agent.name] }));
    this.placeChanges(session.area.id, this.deps.queues.remove(session.area.id, session.id));
    this.deps.events.emit('chat-changed', { sessionId: session.id });
    this.deps.events.emit('agent-joined', { sessionId: session.id, agent });
  }

  /**
   * Hands the chat to another agent, as a contact center's transfer does: `AGENTS_ADDED` with
   * the new agent, then `AGENTS_REMOVED` with the old one, so the customer is never without an
   * agent and never queues again. The old agent's typing stops first.
   */
  transfer(session: ChatSession, to: AssignedAgent): void {
    checkAgentName(to);
    const from = this.requireAgent(session);
    if (to.name === from.name) throw new AgentActionError(`chat ${session.id} is already with ${from.name}`);
    this.stopTyping(session);
    session.agent = to;
    this.touch(session);
    this.publish(session, this.system(session, { event: 'AGENTS_ADDED', names: [to.name] }));
    this.publish(session, this.system(session, { event: 'AGENTS_REMOVED', names: [from.name] }));
    this.deps.events.emit('chat-changed', { sessionId: session.id });
    this.deps.events.emit('agent-joined', { sessionId: session.id, agent: to });
  }

  /** The agent leaves: `AGENT_LEFT`, and the chat waits at the front of the queue again. */
  leave(session: ChatSession): void {
    const agent = this.requireAgent(session);
    this.stopTyping(session);
    session.agent = undefined;
    session.state = 'queued';
    this.touch(session);
    this.publish(session, this.system(session, { event: 'AGENT_LEFT', name: agent.name }));
    this.placeChanges(session.area.id, this.deps.queues.add(session.area.id, session.id, { front: true }));
  }

  /** The agent writes a message; text that would start like a system message is refused. */
  say(session: ChatSession, text: string): Message {
    const agent = this.requireAgent(session);
    if (passesForSystemText(text)) throw new AgentActionError('invalid input: text (only the server writes system messages)');
    this.touch(session);
    const message = this.deps.store.append(session, { sender: 'AGENT', text, author: agent.name }, this.deps.clock.now());
    this.publish(session, message);
    return message;
  }

  /** The agent's typing preview: the length of what they are typing, 0 when they stopped. */
  type(session: ChatSession, messageLen: number): void {
    this.requireAgent(session);
    session.agentTyping = Math.max(0, Math.floor(messageLen));
    this.toSession(session, 'agent preview', { messageLen: session.agentTyping });
  }

  /** Announces every client message not yet delivered as delivered (`message acked`). */
  ack(session: ChatSession): number[] {
    this.requireAgent(session);
    const ids = session.undeliveredClientMessages();
    if (ids.length === 0) return ids;
    for (const id of ids) session.delivered.add(id);
    this.toSession(session, 'message acked', { ids });
    this.deps.events.emit('messages-delivered', { sessionId: session.id, ids });
    return ids;
  }

  /** The agent attaches a stored file. */
  attach(session: ChatSession, file: StoredFile): void {
    const agent = this.requireAgent(session);
    this.touch(session);
    this.postFile(session, file, 'AGENT', agent.name);
  }

  /**
   * Ends a chat: the system message that says why, then `finish chat session`. The transcript
   * stays for `savehistory`/`printhistory`; later events get `chat closed`.
   */
  end(session: ChatSession, reason: EndReason, name: string): void {
    if (!session.live) throw new AgentActionError(`chat ${session.id} has already ended`);
    const wasQueued = session.state === 'queued';
    session.state = 'ended';
    session.endReason = reason;
    this.stopIdleTimer(session);
    if (wasQueued) this.placeChanges(session.area.id, this.deps.queues.remove(session.area.id, session.id));
    this.publish(session, this.system(session, reason === 'client' ? { event: 'CLIENT_ENDS_CHAT', name } : { event: 'OWNER_ENDS_CHAT', name }));
    this.toSession(session, 'finish chat session');
    this.deps.events.emit('chat-changed', { sessionId: session.id });
    this.deps.events.emit('session-ended', { sessionId: session.id, reason });
    const retention = this.deps.endedChatRetentionMs;
    if (Number.isFinite(retention)) session.evictionTimer = this.deps.clock.setTimeout(() => this.evict(session), retention);
  }

  /**
   * Forgets an ended chat once its retention is over: its id and secret name nothing any more
   * (history 403, `resume` `no session`), its files are deleted, its sockets unbound.
   */
  private evict(session: ChatSession): void {
    session.evictionTimer = undefined;
    for (const socketId of session.sockets) this.socketSessions.delete(socketId);
    session.sockets.clear();
    this.deps.store.remove(session);
    this.deps.outbox.faults.clear(session.id);
    this.deps.uploads.removeSession(session.id);
    this.deps.events.emit('session-evicted', { sessionId: session.id });
  }

  // ------------------------------------------------------------------ housekeeping

  /** Unbinds every socket (they were all closed) and, if asked, forgets every session. */
  reset({ forgetSessions }: { readonly forgetSessions: boolean }): void {
    for (const socketId of [...this.socketSessions.keys()]) this.detach(socketId);
    if (!forgetSessions) return;
    for (const session of this.deps.store.all()) this.stopTimers(session);
    this.deps.store.clear();
    this.deps.queues.clear();
  }

  /** Cancels every timer the hub owns. */
  dispose(): void {
    for (const session of this.deps.store.all()) this.stopTimers(session);
    this.socketSessions.clear();
  }

  // ------------------------------------------------------------------ internals

  private requireAgent(session: ChatSession): AssignedAgent {
    if (!session.live) throw new AgentActionError(`chat ${session.id} has ended`);
    if (!session.agent) throw new AgentActionError(`chat ${session.id} has no agent yet`);
    return session.agent;
  }

  /** Ends the typing preview of an agent who is going: the customer would see them typing for ever. */
  private stopTyping(session: ChatSession): void {
    if (session.agentTyping > 0) this.type(session, 0);
  }

  private bind(socketId: string, session: ChatSession): void {
    const previous = this.socketSessions.get(socketId);
    if (previous === session) return;
    if (previous) this.detach(socketId);
    this.socketSessions.set(socketId, session);
    session.sockets.add(socketId);
    this.deps.events.emit('chat-changed', { sessionId: session.id });
  }

  private system(session: ChatSession, event: SystemEvent): Message {
    return this.deps.store.append(session, { sender: 'SYSTEM', event }, this.deps.clock.now());
  }

  private postFile(session: ChatSession, file: StoredFile, by: 'CLIENT' | 'AGENT', name: string): void {
    const result = toUploadResult(file);
    const event: SystemEvent = { event: 'FILE_UPLOAD', fileDownload: file.download, fileName: file.name, sizeHuman: result.sizeHuman, name };
    this.publish(session, this.deps.store.append(session, { sender: by, event }, this.deps.clock.now()));
    this.deps.events.emit('attachment', { sessionId: session.id, file: result, by });
  }

  /** Sends a new transcript message to every socket of the chat. */
  private publish(session: ChatSession, message: Message): void {
    this.toSession(session, 'chat message', { agent: session.agentName, chat: [message], client: session.customer.name });
    this.deps.events.emit('message-appended', { sessionId: session.id, message });
  }

  private placeChanges(areaId: number, changes: readonly PlaceChange[]): void {
    for (const { sessionId, place } of changes) {
      const session = this.session(sessionId);
      if (session) this.toSession(session, 'queue', place);
      this.deps.events.emit('chat-changed', { sessionId });
    }
    this.deps.events.emit('queue-changed', { areaId, sessionIds: this.deps.queues.ids(areaId) });
  }

  private toSession<E extends ServerEventName>(session: ChatSession, event: E, ...payload: PayloadArgs<E>): void {
    for (const socketId of session.sockets) this.deps.outbox.send(socketId, session.id, event, ...payload);
  }

  private toSocket<E extends ServerEventName>(socketId: string, sessionId: number | undefined, event: E, ...payload: PayloadArgs<E>): void {
    this.deps.outbox.send(socketId, sessionId, event, ...payload);
  }

  /** Restarts the idle clock of a chat; when it runs out the chat expires. */
  private touch(session: ChatSession): void {
    this.stopIdleTimer(session);
    const { idleTimeoutMs } = session.area;
    if (idleTimeoutMs <= 0 || !Number.isFinite(idleTimeoutMs) || !session.live) return;
    session.idleTimer = this.deps.clock.setTimeout(() => {
      session.idleTimer = undefined;
      if (session.live) this.end(session, 'idle', SYSTEM_NAME);
    }, idleTimeoutMs);
  }

  private stopIdleTimer(session: ChatSession): void {
    if (session.idleTimer === undefined) return;
    this.deps.clock.clearTimeout(session.idleTimer);
    session.idleTimer = undefined;
  }

  private stopTimers(session: ChatSession): void {
    this.stopIdleTimer(session);
    if (session.evictionTimer === undefined) return;
    this.deps.clock.clearTimeout(session.evictionTimer);
    session.evictionTimer = undefined;
  }
}

/** Throws unless a person's name can be shown as theirs: one plain line of at most {@link AGENT_NAME_MAX} characters, and not the system's. */
function checkAgentName(agent: AssignedAgent): void {
  if (agent.kind !== 'person') return;
  const { name } = agent;
  if (name.trim() === '' || name.length > AGENT_NAME_MAX || !isPlainName(name) || name.trim().toLowerCase() === SYSTEM_NAME.toLowerCase()) {
    throw new AgentActionError(`invalid input: name (one line of 1 to ${AGENT_NAME_MAX} characters, not "${SYSTEM_NAME}")`);
  }
}

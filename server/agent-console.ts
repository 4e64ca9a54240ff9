/**
 * The agent console's back end: the `/agent` socket.io namespace on the chat's socket path
 * (docs/protocol.md). A person sees every area's queue, takes a chat, reads the transcript and
 * the customer's live typing, replies, types, attaches a file, marks messages delivered,
 * transfers the chat to a colleague (or takes it over from one, or from a simulated agent),
 * leaves it, and ends it; and sees the messages customers left and the ratings of ended chats. Plain JSON, no sockwrap: this namespace is ours, not Cention's.
 *
 * @module
 */
import type { Namespace, Socket } from 'socket.io';
import type { Area } from './areas';
import type { ChatHub } from './chat-hub';
import { AgentActionError } from './chat-hub';
import type { Emitter } from './emitter';
import type { Errand } from './errands';
import type { ChatServerEventMap } from './events';
import type { TranscriptLine } from './history';
import { transcriptLine } from './history';
import { secretsMatch } from './http-util';
import type { ChatRating, ChatSession, TranscriptEntry } from './sessions';
import type { ConsoleGrants } from './tokens';
import type { UploadStore } from './uploads';

/** The namespace of the agent console. */
export const AGENT_NAMESPACE = '/agent';

/** An area as the console lists it. */
export interface ConsoleArea {
  readonly id: number;
  readonly name: string;
  readonly open: boolean;
  readonly mode: Area['agents']['mode'];
  readonly agentsOnline: number;
  readonly queueLimit: number;
  readonly attachments: boolean;
}

/** A chat as the console lists it. */
export interface ConsoleChat {
  readonly sessionId: number;
  readonly areaId: number;
  readonly areaName: string;
  readonly clientName: string;
  readonly email: string;
  readonly phone: string;
  readonly href: string;
  readonly state: ChatSession['state'];
  readonly agent: string;
  readonly agentKind: 'simulated' | 'person' | '';
  readonly queuePosition: number;
  /** Whether the customer has a socket open now. */
  readonly online: boolean;
  /** Customer messages not yet marked delivered. */
  readonly undelivered: number;
  readonly startedAt: number;
  /** The customer's rating of the ended chat, or `null` before one. */
  readonly rating: Pick<ChatRating, 'rating' | 'comment'> | null;
}

/**
 * A transcript line; on FILE_UPLOAD lines (which the server wrote) also the download link,
 * authorised by a token for that one file, never by the chat's session secret.
 */
export type ConsoleLine = TranscriptLine & { readonly href?: string };

/** Ended chats the console still lists. */
const RECENT_ENDED = 50;

/** Errands (messages left) a console gets when it connects; newer ones come one by one. */
const RECENT_ERRANDS = 100;

/** What the console namespace needs. */
export interface AgentConsoleDeps {
  readonly namespace: Namespace;
  readonly hub: ChatHub;
  readonly events: Emitter<ChatServerEventMap>;
  readonly uploads: UploadStore;
  readonly areas: ReadonlyMap<number, Area>;
  readonly now: () => number;
  readonly allSessions: () => Iterable<ChatSession>;
  /** The messages customers left, oldest first. */
  readonly errands: () => readonly Errand[];
  /** When set, a console must send `auth: { key }` to connect. */
  readonly key: string | undefined;
  /** Download tokens and upload tickets: what the console gets instead of session secrets. */
  readonly grants: ConsoleGrants;
}

type Ack = (reply: unknown) => void;

function integer(raw: unknown, key: string): number | undefined {
  const value = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>)[key] : undefined;
  return typeof value === 'number' && Number.isSafeInteger(value) ? value : undefined;
}

function text(raw: unknown, key: string, max: number): string | undefined {
  const value = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>)[key] : undefined;
  return typeof value === 'string' && value.trim() !== '' && value.length <= max ? value : undefined;
}

/** Serves the `/agent` namespace; `dispose` stops listening to the hub. */
export class AgentConsole {
  private readonly disposers: (() => void)[] = [];

  constructor(private readonly deps: AgentConsoleDeps) {
    const { namespace, events, key } = deps;
    namespace.use((socket, next) => {
      const sent = (socket.handshake.auth as Record<string, unknown> | undefined)?.['key'];
      if (key === undefined || secretsMatch(typeof sent === 'string' ? sent : undefined, key)) next();
      else next(new Error('agent key required: open the console through the link the server printed'));
    });
    namespace.on('connection', (socket) => this.serve(socket));
    const watching = (): boolean => namespace.sockets.size > 0;
    this.disposers.push(
      events.on('chat-changed', ({ sessionId }) => {
        const session = watching() ? deps.hub.session(sessionId) : undefined;
        if (session) namespace.emit('agent:chat', this.chat(session));
      }),
      events.on('message-appended', ({ sessionId, message }) => {
        const session = watching() ? deps.hub.session(sessionId) : undefined;
        const entry = session?.entryOf(message.id);
        if (!session || !entry) return;
        namespace.emit('agent:message', { sessionId, line: this.line(session, entry) });
        if (message.sender === 'CLIENT') namespace.emit('agent:chat', this.chat(session));
      }),
      events.on('session-evicted', ({ sessionId }) => {
        if (watching()) namespace.emit('agent:forget', { sessionId });
      }),
      events.on('messages-delivered', ({ sessionId }) => {
        const session = watching() ? deps.hub.session(sessionId) : undefined;
        if (session) namespace.emit('agent:chat', this.chat(session));
      }),
      events.on('preview', ({ sessionId, preview }) => {
        if (watching()) namespace.emit('agent:preview', { sessionId, preview });
      }),
      events.on('errand-created', (errand) => {
        if (watching()) namespace.emit('agent:errand', errand);
      }),
    );
  }

  dispose(): void {
    for (const dispose of this.disposers.splice(0)) dispose();
  }

  private serve(socket: Socket): void {
    const { hub, uploads } = this.deps;
    socket.emit('agent:hello', { areas: this.areaList(), chats: this.chatList(), errands: this.deps.errands().slice(-RECENT_ERRANDS) });
    this.deps.namespace.emit('agent:areas', this.areaList());
    socket.on('disconnect', () => this.deps.namespace.emit('agent:areas', this.areaList()));

    const handle = (event: string, act: (payload: unknown, session: ChatSession) => unknown): void => {
      socket.on(event, (payload: unknown, ack?: Ack) => {
        const reply: Ack = typeof ack === 'function' ? ack : () => {};
        const sessionId = integer(payload, 'sessionId');
        const session = sessionId === undefined ? undefined : hub.session(sessionId);
        if (!session) return reply({ error: sessionId === undefined ? 'invalid input: sessionId' : `no chat ${sessionId}` });
        try {
          reply({ ok: true, ...(act(payload, session) as object | undefined) });
        } catch (error) {
          reply({ error: error instanceof Error ? error.message : String(error) });
        }
      });
    };
    const mine = (session: ChatSession): ChatSession => {
      if (session.agent?.kind === 'simulated') throw new AgentActionError(`chat ${session.id} is handled by a simulated agent`);
      return session;
    };

    handle('agent:open', (_payload, session) => ({ chat: this.chat(session), lines: session.entries.map((entry) => this.line(session, entry)) }));
    handle('agent:take', (payload, session) => {
      const name = text(payload, 'name', 60);
      if (name === undefined) throw new AgentActionError('invalid input: name');
      hub.assign(session, { name: name.trim(), kind: 'person' });
    });
    handle('agent:say', (payload, session) => {
      const message = text(payload, 'text', 10_000);
      if (message === undefined) throw new AgentActionError('invalid input: text');
      hub.type(mine(session), 0);
      return { id: hub.say(session, message.trim()).id };
    });
    handle('agent:type', (payload, session) => {
      const messageLen = integer(payload, 'messageLen');
      if (messageLen === undefined || messageLen < 0) throw new AgentActionError('invalid input: messageLen');
      hub.type(mine(session), messageLen);
    });
    handle('agent:ack', (_payload, session) => ({ ids: hub.ack(mine(session)) }));
    handle('agent:upload', (_payload, session) => {
      const held = mine(session);
      if (!held.live) throw new AgentActionError(`chat ${held.id} has ended`);
      if (!held.agent) throw new AgentActionError(`chat ${held.id} has no agent yet`);
      return { ticket: this.deps.grants.uploadTicket(held.id) };
    });
    handle('agent:attach', (payload, session) => {
      const fileId = integer(payload, 'fileId');
      const file = fileId === undefined ? undefined : uploads.get(fileId);
      if (!file || file.sessionId !== session.id) throw new AgentActionError('invalid input: fileId');
      hub.attach(mine(session), file);
    });
    handle('agent:transfer', (payload, session) => {
      const name = text(payload, 'name', 60);
      if (name === undefined) throw new AgentActionError('invalid input: name');
      hub.transfer(session, { name: name.trim(), kind: 'person' });
    });
    handle('agent:leave', (_payload, session) => hub.leave(mine(session)));
    handle('agent:end', (_payload, session) => {
      if (!session.live) throw new AgentActionError(`chat ${session.id} has already ended`);
      hub.end(mine(session), 'agent', session.agent?.name ?? 'Agent');
    });
  }

  private areaList(): ConsoleArea[] {
    const now = this.deps.now();
    return [...this.deps.areas.values()].map((area) => ({
      id: area.id,
      name: area.name,
      open: area.isOpen(now),
      mode: area.agents.mode,
      agentsOnline: this.deps.hub.agentsOnline(area),
      queueLimit: area.queueLimit,
      attachments: area.features['chat.attachment'],
    }));
  }

  private chatList(): ConsoleChat[] {
    const sessions = [...this.deps.allSessions()];
    const ended = sessions.filter((s) => !s.live).slice(-RECENT_ENDED);
    return [...sessions.filter((s) => s.live), ...ended].map((s) => this.chat(s));
  }

  private chat(session: ChatSession): ConsoleChat {
    const { customer } = session;
    return {
      sessionId: session.id,
      areaId: session.area.id,
      areaName: session.area.name,
      clientName: customer.name,
      email: customer.email,
      phone: customer.phone,
      href: session.href,
      state: session.state,
      agent: session.agentName,
      agentKind: session.agent?.kind ?? '',
      queuePosition: this.deps.hub.queuePlace(session),
      online: session.sockets.size > 0,
      undelivered: session.undeliveredClientMessages().length,
      startedAt: session.startedAt,
      rating: session.rating ? { rating: session.rating.rating, comment: session.rating.comment } : null,
    };
  }

  private line(session: ChatSession, entry: TranscriptEntry): ConsoleLine {
    const line = transcriptLine(session, entry);
    const fileId = entry.event?.event === 'FILE_UPLOAD' ? this.deps.uploads.idOf(entry.event.fileDownload) : undefined;
    return line.file && fileId !== undefined ? { ...line, href: `${line.file.download}?t=${this.deps.grants.downloadToken(fileId)}` } : line;
  }
}

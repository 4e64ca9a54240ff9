/**
 * Simulated agents for areas in `simulated` mode: each takes a queued chat after
 * `joinDelayMs`, reads every customer message (`message acked`), types (`agent preview`),
 * answers, and ends the chat when the customer writes "bye". All waits run on the injected
 * clock, so tests move them with a manual clock.
 *
 * @module
 */
import type { Clock, TimerHandle } from '../core/clock';
import type { Area } from './areas';
import type { ChatHub } from './chat-hub';
import type { Emitter } from './emitter';
import type { ChatServerEventMap } from './events';
import type { ChatSession } from './sessions';

/** A customer message that ends the chat. */
const BYE = /^\s*bye\b/i;

function quote(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return `"${line.length > 120 ? `${line.slice(0, 119)}…` : line}"`;
}

/** What a simulated agent answers: a greeting when it joins, then one answer per message. */
export const simulatedReplies = {
  greeting: (client: string, agent: string, question: string): string =>
    `Hi ${client}, this is ${agent}. You asked: ${quote(question)}. I am a simulated agent: I answer every message, and I end the chat when you write "bye".`,
  answer: (client: string, text: string): string => `Thanks, ${client}. You wrote: ${quote(text)}`,
  file: (client: string, fileName: string): string => `Thanks, ${client}. I got your file ${quote(fileName)}.`,
  goodbye: (client: string): string => `Goodbye, ${client}! Thank you for chatting with us.`,
} as const;

/** One piece of work for the agent of a chat: read, type, answer. */
interface Task {
  readonly reply: string;
  readonly thenEnd: boolean;
}

interface OwnedChat {
  readonly areaId: number;
  readonly name: string;
  readonly tasks: Task[];
  timer: TimerHandle | undefined;
}

/** The simulated agents of every `simulated` area. */
export class SimulatedAgents {
  private readonly owned = new Map<number, OwnedChat>();
  private readonly joining = new Map<number, { readonly areaId: number; readonly name: string; readonly timer: TimerHandle }>();
  /** Chats each agent holds or is joining, keyed by area and name. */
  private readonly load = new Map<string, number>();
  private readonly disposers: (() => void)[] = [];

  constructor(
    private readonly hub: ChatHub,
    private readonly events: Emitter<ChatServerEventMap>,
    private readonly clock: Clock,
    private readonly areas: ReadonlyMap<number, Area>,
  ) {
    this.disposers.push(
      events.on('queue-changed', ({ areaId }) => this.pump(areaId)),
      events.on('agent-joined', ({ sessionId }) => {
        // A person who takes a chat before its simulated agent joined, or takes it over (a
        // transfer), frees that agent at once for the next chat in line.
        this.cancelJoin(sessionId);
        this.stillOwned(sessionId);
        const area = this.hub.session(sessionId)?.area;
        if (area) this.pump(area.id);
      }),
      events.on('client-message', ({ sessionId, message, alreadySeen }) => {
        if (alreadySeen) return;
        const session = this.stillOwned(sessionId);
        if (session) this.plan(session, BYE.test(message.text) ? { reply: simulatedReplies.goodbye(session.customer.name), thenEnd: true } : { reply: simulatedReplies.answer(session.customer.name, message.text), thenEnd: false });
      }),
      events.on('attachment', ({ sessionId, file, by }) => {
        const session = by === 'CLIENT' ? this.stillOwned(sessionId) : undefined;
        if (session) this.plan(session, { reply: simulatedReplies.file(session.customer.name, file.value), thenEnd: false });
      }),
      events.on('session-ended', ({ sessionId }) => {
        const area = this.hub.session(sessionId)?.area;
        this.release(sessionId);
        if (area) this.pump(area.id);
      }),
    );
  }

  /** Cancels every timer and forgets every chat (a restart that forgets sessions). */
  reset(): void {
    for (const sessionId of [...this.joining.keys()]) this.cancelJoin(sessionId);
    for (const sessionId of [...this.owned.keys()]) this.release(sessionId);
  }

  /** Stops listening and cancels every timer. */
  dispose(): void {
    this.reset();
    for (const dispose of this.disposers.splice(0)) dispose();
  }

  /** Lets free agents of an area start joining the chats at the front of its queue. */
  private pump(areaId: number): void {
    const area = this.areas.get(areaId);
    if (area?.agents.mode !== 'simulated') return;
    for (const sessionId of this.hub.queueOf(areaId)) {
      if (this.joining.has(sessionId)) continue;
      if (this.owned.has(sessionId)) this.release(sessionId); // its agent left; it waits again
      const name = this.freeAgent(area);
      if (name === undefined) return;
      const timer = this.clock.setTimeout(() => this.join(sessionId, areaId, name), area.agents.joinDelayMs);
      this.joining.set(sessionId, { areaId, name, timer });
      this.addLoad(areaId, name, 1);
    }
  }

  private addLoad(areaId: number, name: string, delta: number): void {
    const key = `${areaId}\u0000${name}`;
    const load = (this.load.get(key) ?? 0) + delta;
    if (load > 0) this.load.set(key, load);
    else this.load.delete(key);
  }

  private freeAgent(area: Area): string | undefined {
    let best: { name: string; load: number } | undefined;
    for (const name of area.agents.names) {
      const load = this.load.get(`${area.id}\u0000${name}`) ?? 0;
      if (load < area.agents.capacity && (!best || load < best.load)) best = { name, load };
    }
    return best?.name;
  }

  private join(sessionId: number, areaId: number, name: string): void {
    this.joining.delete(sessionId);
    const session = this.hub.session(sessionId);
    if (session?.state !== 'queued') {
      this.addLoad(areaId, name, -1);
      return;
    }
    this.owned.set(sessionId, { areaId, name, tasks: [], timer: undefined });
    this.hub.assign(session, { name, kind: 'simulated' });
    const question = session.transcript.find((m) => m.sender === 'CLIENT')?.text ?? '';
    const last = session.transcript.filter((m) => m.sender === 'CLIENT').at(-1)?.text ?? '';
    this.plan(session, BYE.test(last) ? { reply: simulatedReplies.goodbye(session.customer.name), thenEnd: true } : { reply: simulatedReplies.greeting(session.customer.name, name, question), thenEnd: false });
  }

  private cancelJoin(sessionId: number): void {
    const pending = this.joining.get(sessionId);
    if (!pending) return;
    this.clock.clearTimeout(pending.timer);
    this.joining.delete(sessionId);
    this.addLoad(pending.areaId, pending.name, -1);
  }

  private release(sessionId: number): void {
    const chat = this.owned.get(sessionId);
    if (!chat) return;
    if (chat.timer !== undefined) this.clock.clearTimeout(chat.timer);
    this.owned.delete(sessionId);
    this.addLoad(chat.areaId, chat.name, -1);
  }

  /** The session, when a simulated agent of ours still holds it; a chat it lost (ended, taken by a person) is released. */
  private stillOwned(sessionId: number): ChatSession | undefined {
    const chat = this.owned.get(sessionId);
    const session = this.hub.session(sessionId);
    if (!chat || !session) return undefined;
    if (session.live && session.agent?.kind === 'simulated' && session.agent.name === chat.name) return session;
    this.release(sessionId);
    return undefined;
  }

  private plan(session: ChatSession, task: Task): void {
    const chat = this.owned.get(session.id);
    if (!chat) return;
    chat.tasks.push(task);
    if (chat.timer === undefined) this.work(session.id);
  }

  /** Reads (after `replyDelayMs`), types for `typingMs`, answers; then the next task. */
  private work(sessionId: number): void {
    const chat = this.owned.get(sessionId);
    const task = chat?.tasks.shift();
    if (!chat || !task) return;
    const { replyDelayMs, typingMs } = this.hub.session(sessionId)?.area.agents ?? { replyDelayMs: 0, typingMs: 0 };
    chat.timer = this.clock.setTimeout(() => {
      const session = this.stillOwned(sessionId);
      if (!session) return;
      this.hub.ack(session);
      this.hub.type(session, task.reply.length);
      chat.timer = this.clock.setTimeout(() => {
        chat.timer = undefined;
        const session = this.stillOwned(sessionId);
        if (!session) return;
        this.hub.type(session, 0);
        this.hub.say(session, task.reply);
        if (task.thenEnd) this.hub.end(session, 'agent', chat.name);
        else this.work(sessionId);
      }, typingMs);
    }, replyDelayMs);
  }
}

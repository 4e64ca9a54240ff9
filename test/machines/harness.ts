import { createActor, fromCallback, SimulatedClock } from 'xstate';
import type { EventObject, InspectionEvent } from 'xstate';
import { chatMachine, connect } from '../../machines';
import type { CanChatInput, ChatEvent, ChatNotification, LinkCommand, UploadInput } from '../../machines';
import type { Message, RegisterPayload, SessionInfo } from '../../core/protocol';
import { encodeSystemEvent } from '../../core/protocol';

/** A registration as the client would send it. */
export const registration: RegisterPayload = {
  area: 1,
  name: 'Ada',
  email: 'ada@example.com',
  phone: '',
  message: 'Where is my parcel?',
  externalData: '',
  baseURL: 'https://chat.example/s/demo',
  offlineChat: false,
  trackClientUrl: false,
};

export const session: SessionInfo = { sessionId: 7, sessionSecret: 'secret-7', areaId: 1, clientName: 'Ada' };

let nextId = 100;

/** A transcript message. */
export function message(sender: Message['sender'], text: string, extra: Partial<Message> = {}): Message {
  return { id: nextId++, sender, sent: 1_767_600_000, sentHuman: '10:00', text, umid: '', ...extra };
}

export function agentsAdded(...names: string[]): Message {
  return message('SYSTEM', encodeSystemEvent({ event: 'AGENTS_ADDED', names }));
}

/**
 * The chat machine with fake actors: the link records commands and lets the test answer as the
 * server would; canChat and upload record their inputs. Time is a SimulatedClock.
 */
export function harness(input: { maxConnectErrors?: number } = {}, inspect?: (event: InspectionEvent) => void) {
  const commands: LinkCommand[] = [];
  const checks: CanChatInput[] = [];
  const uploads: UploadInput[] = [];
  const stoppedUploads: string[] = [];
  let linkStarts = 0;
  let linkAlive = false;

  const link = fromCallback<LinkCommand>(({ receive }) => {
    linkStarts++;
    linkAlive = true;
    receive((command) => commands.push(command));
    return () => {
      linkAlive = false;
    };
  });
  const canChat = fromCallback<EventObject, CanChatInput>(({ input: check }) => {
    checks.push(check);
  });
  const upload = fromCallback<EventObject, UploadInput>(({ input: job }) => {
    uploads.push(job);
    return () => stoppedUploads.push(job.uploadId);
  });

  const clock = new SimulatedClock();
  const actor = createActor(chatMachine.provide({ actors: { link, canChat, upload } }), { clock, input, ...(inspect ? { inspect } : {}) });
  const notifications: ChatNotification[] = [];
  actor.on('*', (notification) => notifications.push(notification as ChatNotification));
  const errors: unknown[] = [];
  actor.subscribe({ error: (error) => errors.push(error) });
  actor.start();

  const h = {
    actor,
    clock,
    commands,
    checks,
    uploads,
    stoppedUploads,
    notifications,
    errors,
    get linkStarts() {
      return linkStarts;
    },
    get linkAlive() {
      return linkAlive;
    },
    send(event: ChatEvent) {
      actor.send(event);
    },
    view() {
      return connect(actor.getSnapshot());
    },
    context() {
      return actor.getSnapshot().context;
    },
    /** Commands of one type the link was given. */
    sent<T extends LinkCommand['type']>(type: T): Extract<LinkCommand, { type: T }>[] {
      return commands.filter((c): c is Extract<LinkCommand, { type: T }> => c.type === type);
    },
    /** Notifications of one type. */
    told<T extends ChatNotification['type']>(type: T): Extract<ChatNotification, { type: T }>[] {
      return notifications.filter((n): n is Extract<ChatNotification, { type: T }> => n.type === type);
    },
    /** Starts a chat and brings it to `queued` (or `connected` with `agent`). */
    startChat(options: { agent?: string; position?: number } = {}) {
      h.send({ type: 'user.start', registration });
      h.send({ type: 'link.connected' });
      h.send({ type: 'reply.register', reply: { ok: true, value: session } });
      h.send({ type: 'server.chatMessage', agent: '', client: 'Ada', chat: [message('CLIENT', registration.message)] });
      if (options.position !== undefined) h.send({ type: 'server.queue', position: options.position });
      if (options.agent) h.send({ type: 'server.chatMessage', agent: options.agent, client: 'Ada', chat: [agentsAdded(options.agent)] });
    },
    /** The link drops and comes back; the server accepts the rejoin. */
    reconnect() {
      h.send({ type: 'link.disconnected', reason: 'transport close' });
      h.send({ type: 'link.connected' });
      h.send({ type: 'reply.resume', reply: { ok: true, value: session } });
    },
  };
  return h;
}

export type Harness = ReturnType<typeof harness>;

import type { SessionInfo } from '../wire';
import { freshChat, NOT_TYPING } from './chat.context';
import { fault, faultFromWire, TRANSIENT } from './chat.faults';
import type { ChatErrorCode, ChatFault } from './chat.faults';
import { complete, entryOfEcho, failEntry, failUnsent, findEntry, markAcked, markSending, mergeRestored, removeEntry, requeue, requeueInFlight, retryEntry } from './chat.outbox';
import type { OutboxEntry } from './chat.outbox';
import { chatSetup, emitWithParams, enqueueActionsWithParams } from './chat.setup';
import type { ChatContext, ChatEvent, ChatNotification, CommandRef, ConnectErrors, EventOf, LinkCommand, UploadEntry } from './chat.types';

const { assign, emit, enqueueActions, sendTo } = chatSetup;

function refOf(event: ChatEvent): CommandRef {
  switch (event.type) {
    case 'user.canChat':
      return { command: 'canChat', requestId: event.requestId };
    case 'user.send':
    case 'user.retry':
      return { command: event.type === 'user.send' ? 'send' : 'retry', umid: event.umid };
    case 'user.attach':
    case 'user.cancelUpload':
      return { command: event.type === 'user.attach' ? 'attach' : 'cancelUpload', uploadId: event.uploadId };
    case 'user.resume':
      return { command: 'resume' };
    case 'user.preview':
      return { command: 'preview' };
    case 'user.close':
      return { command: 'close' };
    case 'user.disconnect':
      return { command: 'disconnect' };
    case 'user.reset':
      return { command: 'reset' };
    default:
      return { command: 'start' };
  }
}

/** No connect errors in a row: the same object when there were none, so that nothing seems to change. */
function noConnectErrors({ connectErrors }: ChatContext): ConnectErrors {
  return connectErrors.count === 0 ? connectErrors : { ...connectErrors, count: 0 };
}

/** Why a command was refused where it was sent: its {@link ChatFault} follows from it. */
export type Refusal = 'no-session' | 'not-yet' | 'chat-closed' | 'invalid-state';

const REFUSALS: Record<Refusal, ChatFault> = {
  'no-session': fault('no-session', 'There is no chat: start or resume one first.'),
  'not-yet': fault('no-session', 'The chat has not started yet: wait until it has.'),
  'chat-closed': fault('chat-closed', 'The chat has ended.'),
  'invalid-state': fault('invalid-state', 'That cannot be done at this point of the chat.'),
};

/** Why a close that waited for the server will not happen. */
export const CLOSE_DISCONNECTED = fault('invalid-state', 'The chat was disconnected before it could be closed.');

function receiptOf(entry: OutboxEntry, state: 'sent' | 'acked'): ChatNotification {
  return {
    type: 'receipt',
    umid: entry.umid,
    state,
    ...(entry.receipt ? { receipt: entry.receipt } : {}),
    ...(entry.messageId !== undefined ? { messageId: entry.messageId } : {}),
  };
}

function chatMessageCommand(entry: OutboxEntry): LinkCommand {
  return { type: 'chatMessage', payload: { id: entry.umid, message: entry.text, mcount: entry.mcount } };
}

function findUpload(uploads: readonly UploadEntry[], uploadId: string): UploadEntry | undefined {
  return uploads.find((u) => u.uploadId === uploadId);
}

function replaceUpload(uploads: readonly UploadEntry[], changed: UploadEntry): readonly UploadEntry[] {
  return uploads.map((u) => (u.uploadId === changed.uploadId ? changed : u));
}

/**
 * What the machine does, by name: the chart (`chat.machine.ts`) refers to each by its name and
 * says when. Each is pure: it changes the context, emits {@link ChatNotification}s and sends
 * {@link LinkCommand}s to the `link` actor; none touches a socket, a timer or the page.
 */
export const actions = {
  refuse: emitWithParams(({ event }, params: { reason: Refusal }) => ({ type: 'rejected' as const, ref: refOf(event), fault: REFUSALS[params.reason] })),
  announce: emitWithParams((_, params: { notification: ChatNotification }) => params.notification),

  // ------------------------------------------------------------ availability
  startCheck: enqueueActions(({ enqueue, event }) => {
    const { area, requestId } = event as EventOf<'user.canChat'>;
    enqueue.assign({ checksInFlight: ({ context }) => context.checksInFlight + 1 });
    enqueue.spawnChild('canChat', { id: `check-${requestId}`, input: { area, requestId } });
  }),
  onCheckDone: enqueueActions(({ enqueue, event }) => {
    const { requestId, area, result } = event as EventOf<'check.done'>;
    const availability = { requestId, area, result };
    enqueue.stopChild(`check-${requestId}`);
    enqueue.assign({ availability, checksInFlight: ({ context }) => Math.max(0, context.checksInFlight - 1) });
    enqueue.emit({ type: 'availability', availability });
  }),
  onCheckFailed: enqueueActions(({ enqueue, event }) => {
    const { requestId, fault: reason } = event as EventOf<'check.failed'>;
    enqueue.stopChild(`check-${requestId}`);
    enqueue.assign({ checksInFlight: ({ context }) => Math.max(0, context.checksInFlight - 1) });
    enqueue.emit({ type: 'rejected', ref: { command: 'canChat', requestId }, fault: reason });
  }),

  // ------------------------------------------------------------ the chat's life
  beginStart: assign(({ context, event }) => {
    const { registration } = event as EventOf<'user.start'>;
    return { ...freshChat(context), registration };
  }),
  beginResume: assign(({ context, event }) => {
    const e: Partial<EventOf<'user.resume'>> = event.type === 'user.resume' ? event : {};
    // Resuming the chat this page holds keeps what the page has of it (its outbox, its transcript).
    const sameChat = context.session
      ? e.area === undefined || e.area === context.session.areaId
      : context.resumeSecret !== undefined && (e.secret === undefined || e.secret === context.resumeSecret);
    const base = sameChat ? { ...context, endedWhileOffline: false, lastError: undefined, connectErrors: noConnectErrors(context) } : freshChat(context);
    const restored = e.outbox ?? [];
    return {
      ...base,
      resumeSecret: e.secret ?? context.session?.sessionSecret,
      outbox: mergeRestored(base.outbox, restored),
      mcount: Math.max(base.mcount, ...restored.map((entry) => entry.mcount)),
    };
  }),
  resetChat: enqueueActions(({ context, enqueue }) => {
    for (const upload of context.uploads) if (upload.state === 'uploading') enqueue.stopChild(upload.uploadId);
    enqueue.cancel('agentTyping');
    enqueue.cancel('outboxRetry');
    enqueue.assign(({ context: c }) => freshChat(c));
  }),
  assignSession: assign(({ context, event }) => {
    const session = ((event as EventOf<'reply.register'>).reply as { value: SessionInfo }).value;
    return { session, resumeSecret: undefined, connectErrors: noConnectErrors(context), lastError: undefined, endedWhileOffline: false };
  }),
  announceSession: emit(({ context, event }) => ({
    type: 'session' as const,
    session: context.session as SessionInfo,
    resumed: event.type !== 'reply.register',
  })),
  /** A start or resume the server refused or the link could not reach. */
  failCommand: enqueueActionsWithParams(({ enqueue, event }, params: { command: 'start' | 'resume' }) => {
    const reason: ChatFault =
      'reply' in event && !event.reply.ok
        ? faultFromWire(event.reply.error, params.command === 'start' ? 'register' : 'resume')
        : fault('connect-failed', `Could not connect to the chat server: ${'message' in event ? event.message : 'unknown error'}`);
    enqueue.assign({ lastError: reason });
    enqueue.emit({ type: 'rejected', ref: { command: params.command }, fault: reason });
  }),
  /** The server refused the start with an event of its own (`queue full`, `agent unavailable`). */
  refuseStart: enqueueActionsWithParams(({ enqueue }, params: { code: Extract<ChatErrorCode, 'queue-full' | 'agent-unavailable'> }) => {
    const reason = faultFromWire(params.code === 'queue-full' ? 'queue full' : 'agent unavailable', 'register');
    enqueue.assign({ lastError: reason });
    enqueue.emit({ type: params.code === 'queue-full' ? 'queueFull' : 'agentUnavailable' });
    enqueue.emit({ type: 'rejected', ref: { command: 'start' }, fault: reason });
  }),
  countConnectError: assign({ connectErrors: ({ context: { connectErrors } }) => ({ ...connectErrors, count: connectErrors.count + 1 }) }),
  /** The first connect error since the link was last up is news; the retries after it are not. */
  announceConnectError: enqueueActions(({ context, event, enqueue }) => {
    if (context.connectErrors.count === 0) enqueue.emit({ type: 'connectError', message: (event as EventOf<'link.connectError'>).message });
  }),
  linkUp: enqueueActions(({ context, enqueue }) => {
    enqueue.assign({ connectErrors: noConnectErrors(context) });
    enqueue.emit({ type: 'connected' });
  }),
  linkDown: enqueueActions(({ context, event, enqueue }) => {
    enqueue.assign({
      // Nothing in flight will get its reply on a dead link: it all goes again after the rejoin.
      outbox: requeueInFlight(context.outbox),
      uploads: context.uploads.map((u) => (u.state === 'attaching' ? { ...u, state: 'uploaded' as const } : u)),
    });
    if (event.type === 'link.disconnected') enqueue.emit({ type: 'disconnected', reason: event.reason });
  }),
  requestClose: assign({ closeRequested: true }),
  /** Entering `closing`: the close asked for is under way. */
  clearCloseRequest: assign({ closeRequested: false }),
  /** The server refused the close: the chat goes on, and `close()` fails with the server's reason. */
  rejectClose: enqueueActions(({ enqueue, event }) => {
    const { reply } = event as EventOf<'reply.closeChat'>;
    const reason = faultFromWire(reply.ok ? 'server error' : reply.error, 'session');
    enqueue.assign({ lastError: reason });
    enqueue.emit({ type: 'rejected', ref: { command: 'close' }, fault: reason });
  }),
  /** A close that waited for the server will not happen now that the link is let go. */
  dropPendingClose: enqueueActions(({ context, enqueue }) => {
    if (!context.closeRequested) return;
    enqueue.assign({ closeRequested: false });
    enqueue.emit({ type: 'rejected', ref: { command: 'close' }, fault: CLOSE_DISCONNECTED });
  }),
  /** The rejoin found the chat gone: it ended, or the server forgot it, while the link was down. */
  loseSession: assign(({ event }) => {
    const { reply } = event as EventOf<'reply.resume'>;
    return { lastError: faultFromWire(reply.ok ? 'no session' : reply.error, 'session'), endedWhileOffline: true };
  }),
  enterFinished: enqueueActions(({ context, enqueue }) => {
    enqueue.cancel('agentTyping');
    enqueue.cancel('outboxRetry');
    enqueue.assign({ typing: NOT_TYPING, queuePosition: undefined, closeRequested: false });
    // Whatever could not be sent now never will be: say so for each message.
    const reason = context.endedWhileOffline && context.lastError ? context.lastError : REFUSALS['chat-closed'];
    const outbox = failUnsent(context.outbox, reason);
    if (outbox !== context.outbox) {
      enqueue.assign({ outbox });
      for (const entry of context.outbox) if (entry.state === 'queued' || entry.state === 'sending') enqueue.emit({ type: 'receipt', umid: entry.umid, state: 'failed', fault: reason });
    }
    enqueue.emit({ type: 'finished' });
  }),

  // ------------------------------------------------------------ the link
  sendRegister: sendTo('link', ({ context }): LinkCommand => ({ type: 'register', payload: context.registration! })),
  sendResume: sendTo('link', ({ context }): LinkCommand => {
    const secret = context.session?.sessionSecret ?? context.resumeSecret;
    return secret ? { type: 'resume', secret } : { type: 'resume' };
  }),
  sendClose: sendTo('link', { type: 'closeChat' } satisfies LinkCommand),
  /** On entering a session: everything that waited for the link goes out, in order. */
  flush: enqueueActions(({ context, enqueue }) => {
    const queued = context.outbox.filter((e) => e.state === 'queued');
    for (const entry of queued) enqueue.sendTo('link', chatMessageCommand(entry));
    if (queued.length > 0) enqueue.assign({ outbox: ({ context: c }) => markSending(c.outbox, new Set(queued.map((e) => e.umid))) });
    const { session } = context;
    const waiting = context.uploads.filter((u) => u.state === 'uploaded' && u.result);
    if (session && waiting.length > 0) {
      for (const upload of waiting) {
        enqueue.sendTo('link', { type: 'addAttachment', uploadId: upload.uploadId, payload: { area: session.areaId, file: upload.result!, sessionSecret: session.sessionSecret } } satisfies LinkCommand);
      }
      const ids = new Set(waiting.map((u) => u.uploadId));
      enqueue.assign({ uploads: ({ context: c }) => c.uploads.map((u) => (ids.has(u.uploadId) ? { ...u, state: 'attaching' as const } : u)) });
    }
    if (context.typing.held !== undefined) {
      enqueue.sendTo('link', { type: 'preview', preview: context.typing.held } satisfies LinkCommand);
      enqueue.assign({ typing: { ...context.typing, held: undefined } });
    }
  }),

  // ------------------------------------------------------------ own messages
  queueMessage: assign(({ context, event }) => {
    const { umid, text } = event as EventOf<'user.send'>;
    const mcount = context.mcount + 1;
    return { outbox: [...context.outbox, { umid, text, state: 'queued', mcount } satisfies OutboxEntry], mcount };
  }),
  sendMessage: enqueueActions(({ context, event, enqueue }) => {
    const { umid, text } = event as EventOf<'user.send'>;
    const entry: OutboxEntry = { umid, text, state: 'sending', mcount: context.mcount + 1 };
    enqueue.assign({ outbox: [...context.outbox, entry], mcount: entry.mcount });
    enqueue.sendTo('link', chatMessageCommand(entry));
  }),
  retryMessage: enqueueActionsWithParams(({ context, event, enqueue }, params: { now: boolean }) => {
    const { umid } = event as EventOf<'user.retry'>;
    const entry = findEntry(context.outbox, umid);
    if (entry?.state !== 'failed') {
      enqueue.emit({ type: 'rejected', ref: { command: 'retry', umid }, fault: fault('invalid-input', `No failed message has the id ${umid}.`) });
      return;
    }
    const outbox = retryEntry(context.outbox, umid);
    enqueue.assign({ outbox: params.now ? markSending(outbox, new Set([umid])) : outbox });
    if (params.now) enqueue.sendTo('link', chatMessageCommand(entry));
  }),
  resendQueued: enqueueActions(({ context, enqueue }) => {
    const queued = context.outbox.filter((e) => e.state === 'queued');
    for (const entry of queued) enqueue.sendTo('link', chatMessageCommand(entry));
    if (queued.length > 0) enqueue.assign({ outbox: markSending(context.outbox, new Set(queued.map((e) => e.umid))) });
  }),
  onMessageReply: enqueueActions(({ context, event, enqueue }) => {
    const { umid, reply } = event as EventOf<'reply.chatMessage'>;
    if (reply.ok) {
      const { outbox, completed } = complete(context.outbox, { ...reply.value, umid });
      if (outbox !== context.outbox) enqueue.assign({ outbox });
      if (completed) enqueue.emit(receiptOf(completed, 'sent'));
      return;
    }
    if (TRANSIENT.has(reply.error)) {
      // No answer is not a "no": send it again (same umid, so the server stores it once).
      enqueue.assign({ outbox: requeue(context.outbox, umid) });
      enqueue.cancel('outboxRetry');
      enqueue.raise({ type: 'timer.retryOutbox' }, { delay: 'outboxRetry', id: 'outboxRetry' });
      return;
    }
    if (reply.error === 'no session') {
      // The socket lost its session (the transition rejoins): the message goes after the rejoin.
      enqueue.assign({ outbox: requeue(context.outbox, umid) });
      return;
    }
    const reason = faultFromWire(reply.error, 'session');
    const outbox = failEntry(context.outbox, umid, reason);
    if (outbox === context.outbox) return;
    enqueue.assign({ outbox });
    enqueue.emit({ type: 'receipt', umid, state: 'failed', fault: reason });
  }),
  onMessageSent: enqueueActions(({ context, event, enqueue }) => {
    const { outbox, completed } = complete(context.outbox, (event as EventOf<'server.messageSent'>).receipt);
    if (outbox !== context.outbox) enqueue.assign({ outbox });
    if (completed) enqueue.emit(receiptOf(completed, 'sent'));
  }),
  onMessageAcked: enqueueActions(({ context, event, enqueue }) => {
    const { ids } = event as EventOf<'server.messageAcked'>;
    const { delivered, added } = context.delivered.add(ids);
    // Usually the message is in the transcript by now; rarely the ack overtakes the echo.
    const { outbox, acked } = markAcked(context.outbox, added);
    if (delivered !== context.delivered || outbox !== context.outbox) enqueue.assign({ delivered, outbox });
    // Only news: ids the agent had already (a repeated event) or none that can be read say nothing.
    if (added.length > 0) enqueue.emit({ type: 'acked', ids: added });
    for (const entry of acked) enqueue.emit(receiptOf(entry, 'acked'));
    for (const id of added) {
      const message = context.transcript.get(id);
      if (message?.sender === 'CLIENT' && message.umid !== '') enqueue.emit({ type: 'receipt', umid: message.umid, state: 'acked', messageId: id });
    }
  }),

  // ------------------------------------------------------------ server events
  onChatMessage: enqueueActions(({ context, event, enqueue }) => {
    const { agent, client, chat } = event as EventOf<'server.chatMessage'>;
    const { transcript, added } = context.transcript.merge(chat);
    let outbox = context.outbox;
    let agentSpoke = false;
    const receipts: ChatNotification[] = [];
    for (const message of added) {
      if (message.sender === 'AGENT') agentSpoke = true;
      if (message.sender !== 'CLIENT' || outbox.length === 0) continue;
      const entry = entryOfEcho(outbox, message);
      if (!entry) continue;
      // The echo of an own message: it completes the message if nothing did yet, and from now
      // on the transcript shows it.
      const { umid } = entry;
      const done = complete(outbox, { id: String(message.id), umid, sent: message.sent, sentHuman: message.sentHuman }, message.id);
      if (done.completed) receipts.push(receiptOf(done.completed, 'sent'));
      if (entry.state !== 'acked' && context.delivered.has(message.id)) receipts.push({ type: 'receipt', umid, state: 'acked', messageId: message.id });
      outbox = removeEntry(done.outbox, umid);
    }
    const session = context.session;
    // One assign for the whole batch: every assign makes a new snapshot.
    const stopsTyping = agentSpoke && context.typing.agent > 0;
    const news = context.transcript.length === 0 ? 0 : added.filter((message) => message.sender !== 'CLIENT').length;
    enqueue.assign({
      transcript,
      ...(news > 0 ? { unread: context.unread + news } : {}),
      ...(outbox !== context.outbox ? { outbox } : {}),
      ...(agent !== '' && agent !== context.agent ? { agent } : {}),
      ...(session && client !== '' && session.clientName !== client ? { session: { ...session, clientName: client } } : {}),
      ...(stopsTyping ? { typing: { ...context.typing, agent: 0 } } : {}),
    });
    if (stopsTyping) {
      enqueue.cancel('agentTyping');
      enqueue.emit({ type: 'agentTyping', messageLen: 0 });
    }
    if (added.length > 0) enqueue.emit({ type: 'messages', messages: added, agent: agent || context.agent, client: client || (session?.clientName ?? '') });
    for (const receipt of receipts) enqueue.emit(receipt);
  }),
  /** The customer saw the chat; nothing changes (no new snapshot) when nothing was unread. */
  markRead: enqueueActions(({ context, enqueue }) => {
    if (context.unread > 0) enqueue.assign({ unread: 0 });
  }),
  onAgentPreview: enqueueActions(({ context, event, enqueue }) => {
    const { messageLen } = event as EventOf<'server.agentPreview'>;
    enqueue.cancel('agentTyping');
    enqueue.assign({ typing: { ...context.typing, agent: messageLen } });
    if (messageLen > 0) enqueue.raise({ type: 'timer.agentTypingExpired' }, { delay: 'agentTypingTimeout', id: 'agentTyping' });
    enqueue.emit({ type: 'agentTyping', messageLen });
  }),
  stopAgentTyping: enqueueActions(({ context, enqueue }) => {
    if (context.typing.agent === 0) return;
    enqueue.assign({ typing: { ...context.typing, agent: 0 } });
    enqueue.emit({ type: 'agentTyping', messageLen: 0 });
  }),
  onQueue: enqueueActions(({ event, enqueue }) => {
    const { position } = event as EventOf<'server.queue'>;
    enqueue.assign({ queuePosition: position });
    enqueue.emit({ type: 'queue', position });
  }),
  leaveQueue: assign({ queuePosition: undefined }),
  /** The seed's `agent` is the agent assigned now: empty once the chat waits in the queue again. */
  forgetAgent: assign({ agent: '' }),

  // ------------------------------------------------------------ typing preview
  sendPreview: sendTo('link', ({ event }): LinkCommand => ({ type: 'preview', preview: (event as EventOf<'user.preview'>).text })),
  holdPreview: assign({ typing: ({ context, event }) => ({ ...context.typing, held: (event as EventOf<'user.preview'>).text }) }),

  // ------------------------------------------------------------ attachments
  startUpload: enqueueActions(({ context, event, enqueue }) => {
    const e = event as EventOf<'user.attach'>;
    const session = context.session as SessionInfo;
    const entry: UploadEntry = { uploadId: e.uploadId, fileName: e.fileName, size: e.size, type: e.fileType, state: 'uploading', loaded: 0 };
    enqueue.assign({ uploads: [...context.uploads, entry] });
    enqueue.spawnChild('upload', { id: e.uploadId, input: { uploadId: e.uploadId, file: e.file, area: session.areaId, session } });
    enqueue.emit({ type: 'upload', upload: entry });
  }),
  cancelUpload: enqueueActions(({ context, event, enqueue }) => {
    const { uploadId } = event as EventOf<'user.cancelUpload'>;
    const upload = findUpload(context.uploads, uploadId);
    if (upload?.state !== 'uploading' && upload?.state !== 'uploaded') {
      enqueue.emit({ type: 'rejected', ref: { command: 'cancelUpload', uploadId }, fault: fault('invalid-input', `No upload in progress has the id ${uploadId}.`) });
      return;
    }
    if (upload.state === 'uploading') enqueue.stopChild(uploadId);
    const changed: UploadEntry = { ...upload, state: 'canceled', fault: fault('upload-aborted', 'The upload was cancelled.') };
    enqueue.assign({ uploads: replaceUpload(context.uploads, changed) });
    enqueue.emit({ type: 'upload', upload: changed });
  }),
  onUploadProgress: assign({
    uploads: ({ context, event }) => {
      const { uploadId, loaded } = event as EventOf<'upload.progress'>;
      const upload = findUpload(context.uploads, uploadId);
      return upload?.state === 'uploading' ? replaceUpload(context.uploads, { ...upload, loaded }) : context.uploads;
    },
  }),
  onUploadDone: enqueueActionsWithParams(({ context, event, enqueue }, params: { linkUp: boolean }) => {
    const { uploadId, result } = event as EventOf<'upload.done'>;
    const upload = findUpload(context.uploads, uploadId);
    const { session } = context;
    if (upload?.state !== 'uploading') return;
    enqueue.stopChild(uploadId);
    const announceNow = params.linkUp && session !== undefined;
    const changed: UploadEntry = { ...upload, state: announceNow ? 'attaching' : 'uploaded', loaded: upload.size, result };
    enqueue.assign({ uploads: replaceUpload(context.uploads, changed) });
    if (announceNow) enqueue.sendTo('link', { type: 'addAttachment', uploadId, payload: { area: session.areaId, file: result, sessionSecret: session.sessionSecret } } satisfies LinkCommand);
    enqueue.emit({ type: 'upload', upload: changed });
  }),
  onUploadFailed: enqueueActions(({ context, event, enqueue }) => {
    const { uploadId, fault: reason } = event as EventOf<'upload.failed'>;
    const upload = findUpload(context.uploads, uploadId);
    if (upload?.state !== 'uploading') return;
    enqueue.stopChild(uploadId);
    const changed: UploadEntry = { ...upload, state: 'failed', fault: reason };
    enqueue.assign({ uploads: replaceUpload(context.uploads, changed) });
    enqueue.emit({ type: 'upload', upload: changed });
  }),
  onAttachmentReply: enqueueActions(({ context, event, enqueue }) => {
    const { uploadId, reply } = event as EventOf<'reply.addAttachment'>;
    const upload = findUpload(context.uploads, uploadId);
    if (upload?.state !== 'attaching') return;
    const changed: UploadEntry = reply.ok
      ? { ...upload, state: 'done' }
      : TRANSIENT.has(reply.error) || reply.error === 'no session'
        ? { ...upload, state: 'uploaded' }
        : { ...upload, state: 'failed', fault: faultFromWire(reply.error, 'session') };
    enqueue.assign({ uploads: replaceUpload(context.uploads, changed) });
    if (changed.state !== 'uploaded') enqueue.emit({ type: 'upload', upload: changed });
  }),};

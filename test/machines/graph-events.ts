import { getStateNodes } from 'xstate/graph';
import { chatMachine } from '../../machines';
import type { ChatEvent, ChatSnapshot } from '../../machines';
import { registration, session } from './harness';

const result = { id: 1, value: 'a.txt', download: '/d/1/a.txt', sizeHuman: '1 B', size: 1, type: 'text/plain' };
const open = { chatOpen: true, agentsAvailable: 1, feature: {}, resumable: false, error: '' };
const lost = { code: 'http-error' as const, message: 'down' };

/** One example of every event the machine takes, with each payload its guards tell apart. */
export const events: ChatEvent[] = [
  { type: 'user.canChat', area: 1, requestId: 1 },
  { type: 'user.start', registration },
  { type: 'user.resume', secret: 's' },
  // By the cookie alone: the page holds no secret.
  { type: 'user.resume' },
  { type: 'user.send', umid: 'u1', text: 'hi' },
  { type: 'user.retry', umid: 'u1' },
  { type: 'user.preview', text: 'h' },
  { type: 'user.attach', uploadId: 'f1', file: {}, fileName: 'a.txt', size: 1, fileType: 'text/plain' },
  { type: 'user.cancelUpload', uploadId: 'f1' },
  { type: 'user.close' },
  { type: 'user.disconnect' },
  { type: 'user.reset' },
  { type: 'user.markRead' },
  { type: 'link.connected' },
  { type: 'link.disconnected', reason: 'transport close' },
  { type: 'link.connectError', message: 'refused' },
  { type: 'server.chatMessage', agent: 'Bea', client: 'Ada', chat: [] },
  { type: 'server.chatMessage', agent: '', client: 'Ada', chat: [] },
  { type: 'server.messageSent', receipt: { id: '1', umid: 'u1', sent: 1, sentHuman: '' } },
  { type: 'server.messageAcked', ids: [1] },
  { type: 'server.agentPreview', messageLen: 3 },
  { type: 'server.queue', position: 1 },
  { type: 'server.queueFull' },
  { type: 'server.agentUnavailable' },
  { type: 'server.chatClosed' },
  { type: 'server.finished' },
  ...(['register', 'resume'] as const).flatMap((kind) =>
    [{ ok: true as const, value: session }, ...['offline', 'timeout', 'queue full', 'agent unavailable', 'chat closed', 'no session', 'boom'].map((error) => ({ ok: false as const, error }))].map(
      (reply): ChatEvent => ({ type: kind === 'register' ? 'reply.register' : 'reply.resume', reply }),
    ),
  ),
  ...[{ ok: true as const, value: { id: '1', umid: 'u1', sent: 1, sentHuman: '' } }, ...['timeout', 'no session', 'boom'].map((error) => ({ ok: false as const, error }))].map(
    (reply): ChatEvent => ({ type: 'reply.chatMessage', umid: 'u1', reply }),
  ),
  ...[{ ok: true as const, value: true as const }, ...['timeout', 'no session', 'boom'].map((error) => ({ ok: false as const, error }))].map(
    (reply): ChatEvent => ({ type: 'reply.addAttachment', uploadId: 'f1', reply }),
  ),
  ...[{ ok: true as const, value: true as const }, ...['offline', 'chat closed', 'boom'].map((error) => ({ ok: false as const, error }))].map(
    (reply): ChatEvent => ({ type: 'reply.closeChat', reply }),
  ),
  { type: 'upload.progress', uploadId: 'f1', loaded: 1 },
  { type: 'upload.done', uploadId: 'f1', result },
  { type: 'upload.failed', uploadId: 'f1', fault: lost },
  { type: 'check.done', requestId: 1, area: 1, result: open },
  { type: 'check.failed', requestId: 1, fault: lost },
  { type: 'timer.agentTypingExpired' },
  { type: 'timer.retryOutbox' },
  // The events of `after` transitions, as the clock would send them.
  ...getStateNodes(chatMachine.root).flatMap((node) => [...node.transitions.keys()].filter((type) => type.startsWith('xstate.after.')).map((type) => ({ type }) as unknown as ChatEvent)),
];

/** A state for graph traversal: where the machine is, plus the context its guards read. */
export function serialize(snapshot: ChatSnapshot): string {
  const c = snapshot.context;
  return JSON.stringify([
    snapshot.value,
    c.session !== undefined,
    c.resumeSecret !== undefined,
    c.agent !== '',
    c.availability !== undefined,
    c.closeRequested,
    Math.min(c.checksInFlight, 2),
    Math.min(c.connectErrors.count, c.connectErrors.max),
  ]);
}

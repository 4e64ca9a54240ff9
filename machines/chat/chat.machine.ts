import { setup } from 'xstate';
import { actions, CLOSE_DISCONNECTED } from './chat.actions';
import type { Refusal } from './chat.actions';
import { actors } from './chat.actors';
import { initialContext } from './chat.context';
import { delays } from './chat.delays';
import { fault } from './chat.faults';
import type { ChatFault } from './chat.faults';
import { guards } from './chat.guards';
import { types } from './chat.setup';

/** A transition that refuses the command with a typed error. */
const refuse = (reason: Refusal) => ({ actions: { type: 'refuse', params: { reason } } }) as const;

/** Commands that need a chat, refused where there is none (or none any more). */
function needsAChat(reason: 'no-session' | 'chat-closed') {
  return { 'user.send': refuse(reason), 'user.retry': refuse(reason), 'user.preview': refuse(reason), 'user.attach': refuse(reason) } as const;
}

/** Where no chat runs: a start or a resume begins one; what needs a chat is refused. */
const WITHOUT_A_CHAT = {
  'user.start': { target: 'live.starting', actions: 'beginStart' },
  'user.resume': { target: 'live.resuming', actions: 'beginResume' },
  ...needsAChat('no-session'),
  'user.close': refuse('no-session'),
} as const;

/**
 * While a start or a resume waits for its answer: the reply decides (a server may send `chat
 * closed` or the end before it), and too many connect errors in a row give the command up.
 */
function awaitingAnswer(command: 'start' | 'resume') {
  return {
    'server.chatClosed': {},
    'server.finished': {},
    'link.connectError': [
      // One failure is told once: not its failed attempts, the command's failure.
      { guard: 'tooManyConnectErrors', target: '#idle', actions: { type: 'failCommand', params: { command } } },
      { actions: 'countConnectError' },
    ],
  } as const;
}

/** Settles a command the customer gave up on (by closing or disconnecting) before the server answered it. */
function abandon(command: 'start' | 'resume' | 'close', reason: ChatFault) {
  return { type: 'announce', params: { notification: { type: 'rejected', ref: { command }, fault: reason } } } as const;
}

/** A disconnect during a resume gives the resume (and a close waiting on it) up. */
const GIVE_UP_RESUME = ['dropPendingClose', abandon('resume', fault('invalid-state', 'The chat was disconnected before it resumed.'))] as const;

/** A file needs the session's secret for its upload: not before the server confirmed the chat. */
const ATTACH_ONCE_CONFIRMED = [{ guard: 'hasSession', actions: 'startUpload' }, refuse('not-yet')] as const;

/**
 * The chat lifecycle as one statechart (drawn in docs/statechart.svg by `npm run diagram`): only
 * its states and transitions are here. What it does (actions), what it asks (guards), its I/O
 * (actors) and its timers (delays) are named in the files beside it; core fills the I/O and the
 * timers for each chat with `createChatActor(...)` (chat.bound.ts).
 *
 * Two regions run side by side. `availability` answers `canchat` checks. `chat` is the chat's
 * life: `idle` → `live.starting` → `live.session.queued` → `live.session.connected` →
 * `live.closing` → `finished`; `live.offline` → `live.rejoining` while the link is down;
 * `live.resuming` takes up a chat of an earlier page; `detached` is a chat whose link was let go
 * on purpose; `queueFull` and `agentUnavailable` are starts the server refused. Things that
 * happen once (messages arrived, a command was refused) are emitted as {@link ChatNotification}s.
 */
export const chatMachine = setup({ types, actors, actions, guards, delays }).createMachine({
  id: 'cention',
  type: 'parallel',
  context: ({ input }) => initialContext(input),
  states: {
    availability: {
      initial: 'unknown',
      on: {
        'user.canChat': { target: '.checking', actions: 'startCheck' },
        'check.done': [{ guard: 'moreChecksPending', actions: 'onCheckDone' }, { target: '.known', actions: 'onCheckDone' }],
        'check.failed': [
          { guard: 'moreChecksPending', actions: 'onCheckFailed' },
          { guard: 'hasAvailability', target: '.known', actions: 'onCheckFailed' },
          { target: '.failed', actions: 'onCheckFailed' },
        ],
      },
      states: { unknown: {}, checking: {}, known: {}, failed: {} },
    },

    chat: {
      initial: 'idle',
      on: {
        'user.canChat': {}, // answered by the availability region
        'user.reset': { target: '.idle', actions: 'resetChat' },
        'user.disconnect': {}, // letting go of a link that is not there is already done
        // The customer saw the chat: in every state, as messages can arrive (or were counted) in any.
        'user.markRead': { actions: 'markRead' },
        'user.cancelUpload': { actions: 'cancelUpload' },
        'upload.progress': { actions: 'onUploadProgress' },
        'upload.done': { actions: { type: 'onUploadDone', params: { linkUp: false } } },
        'upload.failed': { actions: 'onUploadFailed' },
        // Every other command that no state below takes is refused, never dropped.
        'user.*': refuse('invalid-state'),
      },
      states: {
        idle: { id: 'idle', on: WITHOUT_A_CHAT },

        live: {
          // Always entered through a named child (`live.starting`, `live.resuming`).
          initial: 'starting',
          invoke: { id: 'link', src: 'link' },
          on: {
            'link.connected': { actions: 'linkUp' },
            'link.connectError': { actions: ['announceConnectError', 'countConnectError'] },
            'link.disconnected': { actions: 'linkDown' },
            'server.chatMessage': { actions: 'onChatMessage' },
            'server.messageSent': { actions: 'onMessageSent' },
            'server.messageAcked': { actions: 'onMessageAcked' },
            'server.agentPreview': { actions: 'onAgentPreview' },
            'server.queue': { actions: 'onQueue' },
            'server.chatClosed': { target: 'finished', actions: { type: 'announce', params: { notification: { type: 'chatClosed' } } } },
            'server.finished': { target: 'finished' },
            'timer.agentTypingExpired': { actions: 'stopAgentTyping' },
            'reply.chatMessage': { actions: 'onMessageReply' },
            'reply.addAttachment': { actions: 'onAttachmentReply' },
            // Until the session is up, what the customer does waits for it.
            'user.send': { actions: 'queueMessage' },
            'user.retry': { actions: { type: 'retryMessage', params: { now: false } } },
            'user.preview': { actions: 'holdPreview' },
            'user.attach': ATTACH_ONCE_CONFIRMED,
            'user.close': { actions: 'requestClose' },
            // Every state below has a session but `starting` and `resuming`, which answer this themselves.
            'user.disconnect': { target: 'detached', actions: 'dropPendingClose' },
          },
          states: {
            starting: {
              initial: 'connecting',
              on: {
                ...awaitingAnswer('start'),
                'user.disconnect': { target: '#idle', actions: ['dropPendingClose', abandon('start', fault('invalid-state', 'The chat was disconnected before it started.'))] },
              },
              states: {
                connecting: {
                  on: {
                    'link.connected': { target: 'registering', actions: 'linkUp' },
                    // Nothing has reached the server yet: closing just stops.
                    'user.close': { target: '#idle', actions: abandon('start', fault('chat-closed', 'The chat was closed before it started.')) },
                  },
                },
                registering: {
                  entry: 'sendRegister',
                  on: {
                    'reply.register': [
                      { guard: 'replyOk', target: '#session', actions: ['assignSession', 'announceSession'] },
                      { guard: { type: 'replyIs', params: { error: 'offline' } }, target: 'connecting' },
                      { guard: { type: 'replyIs', params: { error: 'queue full' } }, target: '#queueFull' },
                      { guard: { type: 'replyIs', params: { error: 'agent unavailable' } }, target: '#agentUnavailable' },
                      { target: '#idle', actions: { type: 'failCommand', params: { command: 'start' } } },
                    ],
                    'server.queueFull': '#queueFull',
                    'server.agentUnavailable': '#agentUnavailable',
                    'link.disconnected': { target: 'connecting', actions: 'linkDown' },
                  },
                },
              },
            },

            resuming: {
              initial: 'connecting',
              on: {
                ...awaitingAnswer('resume'),
                'user.disconnect': [{ guard: 'holdsAChat', target: '#detached', actions: GIVE_UP_RESUME }, { target: '#idle', actions: GIVE_UP_RESUME }],
              },
              states: {
                connecting: { on: { 'link.connected': { target: 'requesting', actions: 'linkUp' } } },
                requesting: {
                  entry: 'sendResume',
                  on: {
                    'reply.resume': [
                      { guard: 'replyOk', target: '#session', actions: ['assignSession', 'announceSession'] },
                      { guard: { type: 'replyIs', params: { error: 'offline' } }, target: 'connecting' },
                      { target: '#idle', actions: { type: 'failCommand', params: { command: 'resume' } } },
                    ],
                    'link.disconnected': { target: 'connecting', actions: 'linkDown' },
                  },
                },
              },
            },

            session: {
              id: 'session',
              initial: 'deciding',
              entry: 'flush',
              on: {
                'user.send': { actions: 'sendMessage' },
                'user.retry': { actions: { type: 'retryMessage', params: { now: true } } },
                'user.preview': { actions: 'sendPreview' },
                'user.close': '#closing',
                // Already in the chat: resuming it again is already done.
                'user.resume': { actions: 'announceSession' },
                'upload.done': { actions: { type: 'onUploadDone', params: { linkUp: true } } },
                'timer.retryOutbox': { actions: 'resendQueued' },
                'link.disconnected': { target: '#offline', actions: 'linkDown' },
                // The server no longer binds this socket to the chat: bind it again, then resend.
                'reply.chatMessage': [
                  { guard: { type: 'replyIs', params: { error: 'no session' } }, target: '#rejoining', actions: ['onMessageReply', 'linkDown'] },
                  { actions: 'onMessageReply' },
                ],
                'reply.addAttachment': [
                  { guard: { type: 'replyIs', params: { error: 'no session' } }, target: '#rejoining', actions: ['onAttachmentReply', 'linkDown'] },
                  { actions: 'onAttachmentReply' },
                ],
              },
              states: {
                deciding: { always: [{ guard: 'closeRequested', target: '#closing' }, { guard: 'hasAgent', target: 'connected' }, { target: 'queued' }] },
                queued: {
                  on: { 'server.chatMessage': [{ guard: 'namesAgent', target: 'connected', actions: 'onChatMessage' }, { actions: 'onChatMessage' }] },
                },
                connected: {
                  entry: 'leaveQueue',
                  // The server put the chat back in the queue (e.g. the agent left): nobody has it now.
                  on: { 'server.queue': { target: 'queued', actions: ['onQueue', 'forgetAgent'] } },
                },
              },
            },

            closing: {
              id: 'closing',
              initial: 'requesting',
              entry: 'clearCloseRequest',
              on: {
                'user.close': {},
                'user.disconnect': { target: '#detached', actions: abandon('close', CLOSE_DISCONNECTED) },
                ...needsAChat('chat-closed'),
                'link.disconnected': { target: '#offline', actions: ['linkDown', 'requestClose'] },
              },
              states: {
                requesting: {
                  entry: 'sendClose',
                  on: {
                    'reply.closeChat': [
                      { guard: 'replyOk', target: 'confirmed' },
                      { guard: { type: 'replyIs', params: { error: 'chat closed' } }, target: '#finished' },
                      { guard: { type: 'replyIs', params: { error: 'offline' } } },
                      { target: '#session', actions: 'rejectClose' },
                    ],
                  },
                },
                confirmed: { after: { closeGrace: '#finished' } },
              },
            },
            offline: { id: 'offline', on: { 'link.connected': { target: 'rejoining', actions: 'linkUp' } } },
            rejoining: {
              id: 'rejoining',
              entry: 'sendResume',
              on: {
                'reply.resume': [
                  { guard: 'replyOk', target: '#session', actions: 'assignSession' },
                  { guard: 'replyIsTransient', target: 'rejoining', reenter: true },
                  { target: '#finished', actions: 'loseSession' },
                ],
                'link.disconnected': { target: 'offline', actions: 'linkDown' },
              },
            },
          },
        },

        detached: {
          id: 'detached',
          entry: 'linkDown', // what was in flight gets no reply now: it goes again on resume
          on: {
            'user.resume': { target: 'live.resuming', actions: 'beginResume' },
            'user.send': { actions: 'queueMessage' },
            'user.retry': { actions: { type: 'retryMessage', params: { now: false } } },
            'user.preview': { actions: 'holdPreview' },
            'user.attach': ATTACH_ONCE_CONFIRMED,
            // Closing needs the server: reconnect, then close.
            'user.close': { target: 'live.resuming', actions: ['requestClose', 'beginResume'] },
          },
        },

        queueFull: { id: 'queueFull', entry: { type: 'refuseStart', params: { code: 'queue-full' } }, on: WITHOUT_A_CHAT },
        agentUnavailable: { id: 'agentUnavailable', entry: { type: 'refuseStart', params: { code: 'agent-unavailable' } }, on: WITHOUT_A_CHAT },

        finished: {
          id: 'finished',
          entry: 'enterFinished',
          on: {
            'user.start': { target: 'live.starting', actions: 'beginStart' },
            // Closing a closed chat is already done.
            'user.close': {},
            ...needsAChat('chat-closed'),
            'user.resume': refuse('chat-closed'),
          },
        },
      },
    },
  },
});

/** The chat machine's type, for typing actors and snapshots. */
export type ChatMachine = typeof chatMachine;

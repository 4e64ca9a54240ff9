/**
 * A test kit for sites that embed the chat: the reference server with its agent controls and
 * fault injection, a ready server whose agents follow a script, and fast-check arbitraries of
 * what a server and a network do to a chat (drops, duplicates, reorders, delays, lost replies,
 * kicks, restarts) that a site's own property tests can reuse.
 *
 * Node only, and reached by no browser entry: it needs `socket.io` and `busboy` (optional
 * dependencies of this package) and, for the arbitraries, `fast-check` (an optional peer).
 * `npx cention-chat-server` runs the demo server from the same package.
 *
 * @example
 * ```ts
 * import { startScriptedServer } from 'cention-chat/testing';
 *
 * const server = await startScriptedServer({ agent: 'Bea', replies: (text) => `You said: ${text}` });
 * // point the page under test at server.baseURL (area 1); the agent joins and answers at once
 * await server.close();
 * ```
 *
 * @module testing
 */
import fc from 'fast-check';
import type { ChatServer, OutgoingFaults, ServerOptions } from './index';
import { startServer } from './index';

// The reference server whole: startServer, its options, controls, events and limits.
export * from './index';

/** Options of {@link startScriptedServer}. */
export interface ScriptedServerOptions {
  /** The agent's name (default `"Bea"`). */
  readonly agent?: string;
  /** What the agent answers to each customer message, the one the chat started with included; `undefined`: nothing. Default: no answers. */
  readonly replies?: (text: string, sessionId: number) => string | undefined;
  /** Take each chat as soon as it queues (default `true`); `false` leaves it to `server.agent.join`. */
  readonly joinAtOnce?: boolean;
  /** Anything else `startServer` takes (areas, a clock, limits…). */
  readonly server?: ServerOptions;
}

/**
 * Starts the reference server on 127.0.0.1, a free port, with no agent console and a quiet log,
 * and an agent that follows a script: it takes every chat of area 1 as soon as the chat queues
 * and answers each customer message (the opening question first) with `replies(text)`. `server.agent` and `server.faults`
 * still do everything else; `close()` stops it all.
 */
export async function startScriptedServer(options: ScriptedServerOptions = {}): Promise<ChatServer> {
  const name = options.agent ?? 'Bea';
  const server = await startServer({
    port: 0,
    host: '127.0.0.1',
    agentConsole: false,
    logger: () => undefined,
    areas: [{ id: 1, name: 'Support', agents: { mode: 'busy', names: [name] } }],
    ...options.server,
  });
  const answer = (sessionId: number, text: string) => {
    const reply = options.replies?.(text, sessionId);
    if (reply !== undefined) server.agent.say(sessionId, reply);
  };
  const stops = [
    ...(options.joinAtOnce === false
      ? []
      : [
          server.on('session-registered', ({ sessionId }) => {
            server.agent.join(sessionId, name);
            // The question the chat was started with is the first thing the agent answers.
            const opening = server.session(sessionId)?.transcript.find((message) => message.sender === 'CLIENT');
            if (opening) answer(sessionId, opening.text);
          }),
        ]),
    server.on('client-message', ({ sessionId, message, alreadySeen }) => {
      if (!alreadySeen && server.session(sessionId)?.agent) answer(sessionId, message.text);
    }),
  ];
  const close = server.close.bind(server);
  return Object.assign(server, {
    close: () => {
      for (const stop of stops) stop();
      return close();
    },
  });
}

/** One thing a server or the network does to a chat; {@link applyServerFault} does it. */
export type ServerFault =
  /** The network under the chat's sockets goes; socket.io reconnects by itself. */
  | { readonly kind: 'drop' }
  /** The server disconnects the chat's sockets; the client must come back on its own. */
  | { readonly kind: 'kick' }
  /** The server restarts; `forgetUmids`: it no longer knows which messages it stored. */
  | { readonly kind: 'restart'; readonly forgetUmids: boolean }
  /** Events to the chat are delayed, duplicated, reordered, or replies lost, from now on. */
  | { readonly kind: 'faults'; readonly faults: Partial<OutgoingFaults> }
  /** Every fault goes and held events are sent. */
  | { readonly kind: 'heal' };

/** Arbitrary {@link OutgoingFaults} switches: each on or off. */
export function outgoingFaults(): fc.Arbitrary<Partial<OutgoingFaults>> {
  return fc.record(
    {
      delayMs: fc.constantFrom(0, 50, 500),
      duplicate: fc.boolean(),
      reorder: fc.boolean(),
      loseReplies: fc.boolean(),
    },
    { requiredKeys: [] },
  );
}

/** An arbitrary {@link ServerFault}. */
export function serverFault(): fc.Arbitrary<ServerFault> {
  return fc.oneof(
    fc.constant<ServerFault>({ kind: 'drop' }),
    fc.constant<ServerFault>({ kind: 'kick' }),
    fc.boolean().map((forgetUmids): ServerFault => ({ kind: 'restart', forgetUmids })),
    outgoingFaults().map((faults): ServerFault => ({ kind: 'faults', faults })),
    fc.constant<ServerFault>({ kind: 'heal' }),
  );
}

/** Arbitrary sequences of {@link ServerFault}s (default up to 8). */
export function serverFaults(constraints: { readonly maxLength?: number } = {}): fc.Arbitrary<ServerFault[]> {
  return fc.array(serverFault(), { maxLength: constraints.maxLength ?? 8 });
}

/** Does `fault` to the chat `sessionId` on `server`. */
export async function applyServerFault(server: ChatServer, sessionId: number, fault: ServerFault): Promise<void> {
  switch (fault.kind) {
    case 'drop':
      server.dropClient(sessionId);
      return;
    case 'kick':
      server.kickClient(sessionId);
      return;
    case 'restart':
      await server.restart({ forgetUmids: fault.forgetUmids });
      return;
    case 'faults':
      server.faults.set(fault.faults, sessionId);
      return;
    case 'heal':
      server.faults.clear(sessionId);
      server.faults.flush();
      return;
  }
}

import { startServer } from '../../server';
import type { AreaConfig, ChatServer, ServerOptions } from '../../server';
import { ManualClock } from './manual-clock';

/**
 * Areas for client tests, one per answer a client must handle. Agents never act on their own
 * except in area 6: tests play the agent through `server.agent`.
 */
export const TEST_AREAS: readonly AreaConfig[] = [
  { id: 1, name: 'Support', agents: { mode: 'busy', names: ['Bea'] }, features: { 'chat.attachment': true, 'chat.max-attachment-size': 2_000, 'chat.max-image-size': 1_000 } },
  { id: 2, name: 'Closed', hours: 'never', agents: { mode: 'busy', names: ['Sam'] } },
  { id: 3, name: 'Nobody', agents: { mode: 'none' } },
  { id: 4, name: 'Tiny queue', agents: { mode: 'busy', names: ['Dana'] }, queueLimit: 1 },
  { id: 5, name: 'No attachments', agents: { mode: 'busy', names: ['Eve'] }, features: { 'chat.attachment': false } },
  { id: 6, name: 'Simulated', agents: { mode: 'simulated', names: ['Sim'], joinDelayMs: 10, replyDelayMs: 10, typingMs: 10 }, features: { 'chat.attachment': true } },
];

/** A reference server on 127.0.0.1, port 0, with the test areas and a manual clock. */
export async function startTestServer(options: Partial<ServerOptions> = {}): Promise<{ server: ChatServer; clock: ManualClock }> {
  const clock = new ManualClock(Date.now());
  const server = await startServer({ port: 0, areas: TEST_AREAS, clock, logger: () => undefined, agentConsole: false, ...options });
  return { server, clock };
}

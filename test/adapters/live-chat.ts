import { filter, firstValueFrom } from 'rxjs';
import { createCentionChat } from '../../core';
import type { CentionChat } from '../../core';
import type { ChatServer } from '../../server';

/**
 * A client (of this test's copy of the core) in a chat of area 1 that agent Bea has joined: its
 * transcript holds the question and Bea's AGENTS_ADDED system message. Stopping it is the caller's.
 */
export async function chatWithBea(server: ChatServer, question: string): Promise<CentionChat> {
  const client = createCentionChat({ baseURL: server.baseURL, area: 1, storage: null });
  const { sessionId } = await client.start({ name: 'Ada', message: question });
  const joined = firstValueFrom(client.state$.pipe(filter((view) => view.agent === 'Bea' && view.transcript.length === 2)));
  server.agent.join(sessionId, 'Bea');
  await joined;
  return client;
}

/**
 * What every adapter shares: which value it was given (a client, or the options to make one it
 * then owns) and the client's commands as functions that stand on their own.
 *
 * @module
 */
import { createCentionChat } from '../core';
import type { CentionChat, CentionChatOptions } from '../core';

/** The client's commands, each one usable on its own (`@click="close"`, `onclick={chat.close}`). */
export type ChatCommands = Pick<
  CentionChat,
  | 'canChat'
  | 'start'
  | 'send'
  | 'retry'
  | 'preview'
  | 'attach'
  | 'resume'
  | 'close'
  | 'disconnect'
  | 'reset'
  | 'markRead'
  | 'enableNotifications'
  | 'leaveMessage'
  | 'rate'
  | 'historyUrls'
  | 'downloadUrl'
>;

const COMMANDS = [
  'canChat',
  'start',
  'send',
  'retry',
  'preview',
  'attach',
  'resume',
  'close',
  'disconnect',
  'reset',
  'markRead',
  'enableNotifications',
  'leaveMessage',
  'rate',
  'historyUrls',
  'downloadUrl',
] as const satisfies readonly (keyof ChatCommands)[];

/** The commands of `client`, bound to it. */
export function commandsOf(client: CentionChat): ChatCommands {
  return Object.fromEntries(COMMANDS.map((name) => [name, client[name].bind(client)])) as unknown as ChatCommands;
}

/** The client to adapt: the one given, or a new one made of options, which the adapter then owns and stops. */
export function clientOf(source: CentionChat | CentionChatOptions): { readonly client: CentionChat; readonly owned: boolean } {
  return 'getSnapshot' in source ? { client: source, owned: false } : { client: createCentionChat(source), owned: true };
}

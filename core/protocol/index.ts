/**
 * The Cention chat wire protocol: event names, payload types, the sockwrap codec, system
 * messages, addresses and payload readers. Shared by the client, the reference server and the
 * tests; it has no dependencies and touches no I/O.
 *
 * @example
 * ```ts
 * import { encodePayload, decodePayload, readChatMessageEvent } from 'cention-chat/protocol';
 *
 * socket.on('chat message', (raw, ack) => {
 *   const event = readChatMessageEvent(decodePayload(raw));
 *   ack?.('onJson');
 * });
 * socket.emit('chat message', encodePayload({ id: 'c-1-1', message: 'Hi', mcount: 1 }), onReply);
 * ```
 *
 * @module protocol
 */
export * from './wire';
export * from './sockwrap';
export * from './system-message';
export * from './addresses';
export * from './readers';
export * from './replies';
export * from './checks';
export type { ReadResult } from './values';

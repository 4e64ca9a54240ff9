// socket.io-client 2 (under the npm alias socket.io-client-v2) ships no types. This is the little
// of its API that the transport and the tests use.
declare module 'socket.io-client-v2' {
  interface SocketV2 {
    readonly id: string;
    readonly connected: boolean;
    on(event: string, listener: (...args: unknown[]) => void): SocketV2;
    off(event: string, listener?: (...args: unknown[]) => void): SocketV2;
    emit(event: string, ...args: unknown[]): SocketV2;
    connect(): SocketV2;
    disconnect(): SocketV2;
    close(): SocketV2;
  }
  interface ConnectOptsV2 {
    path?: string;
    forceNew?: boolean;
    transports?: readonly string[];
    reconnection?: boolean;
    reconnectionDelay?: number;
    reconnectionDelayMax?: number;
    randomizationFactor?: number;
    timeout?: number;
    autoConnect?: boolean;
    extraHeaders?: Readonly<Record<string, string>>;
    readonly [option: string]: unknown;
  }
  function io(uri: string, opts?: ConnectOptsV2): SocketV2;
  export default io;
}

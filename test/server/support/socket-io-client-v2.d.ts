// socket.io-client 2 ships no types. This is the little of its API the conformance tests use.
declare module 'socket.io-client-v2' {
  interface SocketV2 {
    readonly id: string;
    readonly connected: boolean;
    on(event: string, listener: (...args: unknown[]) => void): SocketV2;
    emit(event: string, ...args: unknown[]): SocketV2;
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
    extraHeaders?: Readonly<Record<string, string>>;
  }
  function io(uri: string, opts?: ConnectOptsV2): SocketV2;
  export default io;
}

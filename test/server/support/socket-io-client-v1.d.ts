// socket.io-client 1.7 (under the npm alias socket.io-client-v1, for tests only) ships no types.
declare module 'socket.io-client-v1' {
  function io(uri: string, opts?: Readonly<Record<string, unknown>>): { on(event: string, listener: (...args: unknown[]) => void): unknown; close(): unknown };
  export default io;
}

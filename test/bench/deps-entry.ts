// What the drop-in script needs from its dependencies, alone: the floor of its size.
import { io } from 'socket.io-client';
import { assign, createActor, emit, enqueueActions, fromCallback, sendTo, setup } from 'xstate';

(globalThis as Record<string, unknown>)['deps'] = [io, assign, createActor, emit, enqueueActions, fromCallback, sendTo, setup];

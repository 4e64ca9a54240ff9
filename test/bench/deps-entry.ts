// What the drop-in script needs from its dependencies, alone: the floor of its size (socket.io is the page's socket.js).
import { assign, createActor, emit, enqueueActions, fromCallback, sendTo, setup } from 'xstate';

(globalThis as Record<string, unknown>)['deps'] = [assign, createActor, emit, enqueueActions, fromCallback, sendTo, setup];

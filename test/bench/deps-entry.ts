// The dependencies the browser script needs, alone: the floor of its size.
import { io } from 'socket.io-client';
import { assign, createActor, emit, enqueueActions, fromCallback, sendTo, setup } from 'xstate';
import { BehaviorSubject, Observable, Subject, distinctUntilChanged, map } from 'rxjs';

(globalThis as Record<string, unknown>)['deps'] = [io, assign, createActor, emit, enqueueActions, fromCallback, sendTo, setup, BehaviorSubject, Observable, Subject, distinctUntilChanged, map];

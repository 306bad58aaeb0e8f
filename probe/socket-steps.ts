import type { Socket } from 'node:net';

/** Resolves on `event`, rejects on the socket's first error or an early close. */
export function settled(socket: Socket, event: 'connect' | 'secureConnect'): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => {
      socket.off(event, onEvent);
      reject(error);
    };
    const onClose = () => onError(Object.assign(new Error('socket closed by peer'), { code: 'ECONNRESET' }));
    const onEvent = () => {
      socket.off('error', onError);
      socket.off('close', onClose);
      resolve();
    };
    socket.once(event, onEvent);
    socket.once('error', onError);
    socket.once('close', onClose);
  });
}

/** Races `promise` against the deadline; `onAbort` releases what the promise holds. */
export function withDeadline<T>(promise: Promise<T>, signal: AbortSignal, onAbort?: () => void): Promise<T> {
  if (signal.aborted) {
    onAbort?.();
    return Promise.reject(new Error('deadline passed'));
  }
  return new Promise<T>((resolve, reject) => {
    const abort = () => {
      onAbort?.();
      reject(new Error('deadline passed'));
    };
    signal.addEventListener('abort', abort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', abort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', abort);
        reject(error);
      },
    );
  });
}

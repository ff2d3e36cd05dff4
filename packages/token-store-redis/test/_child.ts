import { type ChildProcess, fork } from 'node:child_process';

/** Forks a TypeScript test helper as its own Node process (an "app instance"), with tsx. */
export const forkTs = (script: URL, args: ReadonlyArray<string>): ChildProcess =>
  fork(script, [...args], {
    execArgv: ['--import', 'tsx'],
    cwd: new URL('..', import.meta.url),
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });

/** The child's next IPC message; fails instead of hanging if the child exits first. */
export const nextMessage = <M>(child: ChildProcess): Promise<M> =>
  new Promise((resolve, reject) => {
    const onExit = (code: number | null, signal: string | null) =>
      reject(new Error(`child exited (${code ?? signal}) before sending a message`));
    child.once('exit', onExit);
    child.once('message', (message) => {
      child.off('exit', onExit);
      resolve(message as M);
    });
  });

export const exited = (child: ChildProcess): Promise<void> =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once('exit', () => resolve()));

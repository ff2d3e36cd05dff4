/**
 * Runs work nobody awaits (a reconnect, a background refresh) so that it always ends in a
 * handled path: a synchronous throw or a rejection is passed to `onFailure` instead of becoming
 * an unhandled rejection that kills the process. If `onFailure` itself throws (it usually calls
 * an application callback), that is dropped: the library has nowhere left to report it.
 */
export const detach = (work: () => unknown, onFailure: (error: unknown) => void): void => {
  Promise.resolve()
    .then(work)
    .catch((error: unknown) => {
      try {
        onFailure(error);
      } catch {
        // nowhere left to report it; see above
      }
    });
};

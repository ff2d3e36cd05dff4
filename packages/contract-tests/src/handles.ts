/** Sockets and timers alive in this process, by kind; used to prove `unsubscribe` leaves nothing behind. */
export const activeHandles = (): Readonly<Record<string, number>> => {
  const counts: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo()) {
    if (kind === 'TCPSocketWrap' || kind === 'Timeout' || kind === 'TCPWRAP' || kind === 'Immediate') {
      counts[kind] = (counts[kind] ?? 0) + 1;
    }
  }
  return counts;
};

/** Polls `condition` every 10 ms until it holds or `timeoutMs` passes. */
export const eventually = async (condition: () => boolean, timeoutMs: number): Promise<boolean> => {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return true;
};

// Database failures that are not the caller's fault, told apart by their cause chain, so that
// the API answers them as typed errors and live views retry them.

/** Every error in the chain (cause, originalError, the driver adapter's error), breadth first. */
function errorChain(error: unknown): Record<string, any>[] {
  const seen = new Set<unknown>();
  const out: Record<string, any>[] = [];
  const queue = [error];
  while (queue.length) {
    const e = queue.shift() as Record<string, any> | null | undefined;
    if (!e || typeof e !== 'object' || seen.has(e)) continue;
    seen.add(e);
    out.push(e);
    queue.push(e.cause, e.originalError, e.meta?.driverAdapterError);
  }
  return out;
}

/**
 * Lost or refused database connections (server restarting, backend terminated, pool timeout),
 * as Prisma, its pg adapter or pg report them, anywhere in the error's cause chain.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  return errorChain(error).some((e) => {
    const code = typeof e.code === 'string' ? e.code : '';
    // Prisma: can't reach / timed out / connection closed / pool timeout.
    if (['P1001', 'P1002', 'P1008', 'P1017', 'P2024'].includes(code)) return true;
    // PostgreSQL SQLSTATE: connection exception, admin/crash shutdown, cannot connect now, too many connections.
    if (/^08/.test(code) || ['57P01', '57P02', '57P03', '53300'].includes(code)) return true;
    if (['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT'].includes(code)) return true;
    if (['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections'].includes(e.kind)) return true;
    return /Connection terminated|not queryable|timeout exceeded when trying to connect|the database system is (starting up|shutting down|not yet accepting)/i.test(String(e.message ?? ''));
  });
}

/** Text PostgreSQL cannot store (a NUL byte, SQLSTATE 22021 / 22P05): the client's input, not our bug. */
export function isUnstorableText(error: unknown): boolean {
  return errorChain(error).some((e) => ['22021', '22P05'].includes(e.code) || /Code: `(22021|22P05)`/.test(String(e.message ?? '')));
}

/** A unique constraint refused the row (Prisma P2002, SQLSTATE 23505). */
export function isUniqueViolation(error: unknown): boolean {
  return errorChain(error).some((e) => e.code === 'P2002' || e.code === '23505' || e.kind === 'UniqueConstraintViolation');
}

import autocannon from 'autocannon';

export interface LatencySummary {
  requests: number;
  non2xx: number;
  rps: number;
  p50: number;
  p99: number;
}

/** Loads one URL (or its host with several paths in turn) over loopback for a bounded time and reports latency percentiles (ms). */
export async function load(
  url: string,
  headers: Record<string, string>,
  options: { connections: number; seconds: number; paths?: string[] },
): Promise<LatencySummary> {
  let next = 0;
  const paths = options.paths;
  const result = await autocannon({
    url,
    headers,
    connections: options.connections,
    duration: options.seconds,
    // Several paths in turn (many deals' cards), so no one row stays hot in every cache.
    ...(paths && paths.length > 0
      ? {
          requests: [
            {
              method: 'GET' as const,
              setupRequest: (request: { path?: string }) => ({
                ...request,
                path: paths[next++ % paths.length]!,
              }),
            },
          ],
        }
      : {}),
  });
  return {
    requests: result.requests.total,
    non2xx: result.non2xx,
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
  };
}

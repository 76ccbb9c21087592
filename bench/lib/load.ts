import autocannon from 'autocannon';

export interface LatencySummary {
  requests: number;
  non2xx: number;
  rps: number;
  p50: number;
  p99: number;
}

/** Loads one URL over loopback for a bounded time and reports latency percentiles (ms). */
export async function load(
  url: string,
  headers: Record<string, string>,
  options: { connections: number; seconds: number },
): Promise<LatencySummary> {
  const result = await autocannon({
    url,
    headers,
    connections: options.connections,
    duration: options.seconds,
  });
  return {
    requests: result.requests.total,
    non2xx: result.non2xx,
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
  };
}

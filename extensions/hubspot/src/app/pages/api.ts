import { z } from 'zod';

// The PartnerLens service as HubSpot reaches it; it must be listed in app-hsmeta.json permittedUrls.fetch.
export const API_BASE = 'https://app.partnerlens.io';

/** The shape of hubspot.fetch that the pages need; tests inject their own. */
export type ApiFetcher = (
  url: string,
  options: {
    method: 'GET' | 'POST' | 'PUT';
    timeout: number;
    body?: Record<string, unknown>;
    headers?: Record<string, string>;
  },
) => Promise<Pick<Response, 'ok' | 'status' | 'json'>>;

const errorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.unknown().optional(),
  }),
});

/** The service's error as the pages show it: its status and code decide how. */
export interface ApiError {
  status: number;
  code: string;
  message: string;
  details?: unknown;
}

export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: ApiError };

/** A field the server named in a 400: `program.currency` → "must be a currency code". */
export const fieldErrorsOf = (error: ApiError): Record<string, string> => {
  const details = z
    .array(z.object({ path: z.string(), message: z.string() }))
    .safeParse(error.details);
  return details.success
    ? Object.fromEntries(details.data.map((detail) => [detail.path, detail.message]))
    : {};
};

/**
 * One call to the service. An answer the service gives (a 409, a 400 with its fields) is a
 * value; a network failure or a malformed answer throws, as nothing can be decided from it.
 */
export async function request<T>(
  fetcher: ApiFetcher,
  method: 'GET' | 'POST' | 'PUT',
  path: string,
  schema: z.ZodType<T>,
  body?: Record<string, unknown>,
): Promise<ApiResult<T>> {
  const response = await fetcher(`${API_BASE}${path}`, {
    method,
    timeout: 8000,
    ...(body === undefined ? {} : { body }),
  });
  const json: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const parsed = errorBody.safeParse(json);
    return {
      ok: false,
      error: parsed.success
        ? { status: response.status, ...parsed.data.error }
        : {
            status: response.status,
            code: 'HTTP.ERROR',
            message: `PartnerLens answered ${response.status}`,
          },
    };
  }
  return { ok: true, value: schema.parse(json) };
}

/** For a load: an error answer is an error to show, with its message. */
export async function load<T>(fetcher: ApiFetcher, path: string, schema: z.ZodType<T>): Promise<T> {
  const result = await request(fetcher, 'GET', path, schema);
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

export const asError = (error: unknown) =>
  error instanceof Error ? error : new Error(String(error));

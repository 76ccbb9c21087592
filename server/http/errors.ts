import type { ErrorRequestHandler } from 'express';
import { ZodError } from 'zod';

/** An error with a stable code that the error middleware turns into { error: { code, message, details } }. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** What a use case's failure code means over HTTP. */
export type FailureTable<Code extends string> = Record<Code, { status: number; message: string }>;

/** A use case's failure as an HttpError: its code's status and message, the rest as details. */
export function httpErrorFor<Code extends string>(
  table: FailureTable<Code>,
  failure: { code: Code },
): HttpError {
  const { code, ...details } = failure;
  const known = table[code];
  return new HttpError(
    known.status,
    code,
    known.message,
    Object.keys(details).length > 0 ? details : undefined,
  );
}

export const notFound = (code: string, message: string) => new HttpError(404, code, message);
export const unauthorized = (message: string) => new HttpError(401, 'AUTH.UNAUTHORIZED', message);

export const zodDetails = (error: ZodError) =>
  error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));

interface BodyParserError {
  type?: string;
  status?: number;
}

/** pg-pool's error when no connection frees up within connectionTimeoutMillis (it has no code). */
const POOL_TIMEOUT = 'timeout exceeded when trying to connect';
const RETRY_AFTER_SECONDS = 1;

export const errorMiddleware: ErrorRequestHandler = (error, req, res, _next) => {
  const failure = toHttpError(error);
  if (failure.status >= 500) req.log?.error({ err: error }, 'request failed');
  if (failure.status === 503) res.setHeader('retry-after', String(RETRY_AFTER_SECONDS));
  res.status(failure.status).json({
    error: {
      code: failure.code,
      message: failure.message,
      ...(failure.details === undefined ? {} : { details: failure.details }),
    },
  });
};

function toHttpError(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  if (error instanceof ZodError)
    return new HttpError(400, 'REQUEST.INVALID', 'The request is not valid', zodDetails(error));
  const parserError = error as BodyParserError;
  if (parserError?.type === 'entity.parse.failed')
    return new HttpError(400, 'REQUEST.MALFORMED_JSON', 'The body is not valid JSON');
  if (parserError?.type === 'entity.too.large')
    return new HttpError(413, 'REQUEST.TOO_LARGE', 'The body is too large');
  if (parserError?.status && parserError.status >= 400 && parserError.status < 500) {
    return new HttpError(parserError.status, 'REQUEST.INVALID', 'The request could not be read');
  }
  // An overload, not the request's fault: the client may send it again shortly.
  if (error instanceof Error && error.message === POOL_TIMEOUT)
    return new HttpError(
      503,
      'SERVICE.BUSY',
      'PartnerLens is too busy to answer now; try again in a moment',
    );
  return new HttpError(500, 'INTERNAL', 'Something went wrong on our side');
}

import type { RequestHandler } from 'express';

import { HttpError } from './errors';

/** A JSON document nested deeper than this is not a request any route takes. */
const MAX_DEPTH = 32;

interface Unstorable {
  path: string;
  message: string;
}

/**
 * The first text Postgres cannot store, with where it is: a NUL character (text and jsonb refuse
 * it) or half of a UTF-16 surrogate pair (not Unicode, so not UTF-8). Keys count as text too.
 */
function findUnstorable(value: unknown, path: string, depth = 0): Unstorable | undefined {
  if (typeof value === 'string') return textProblem(value, path);
  if (value === null || typeof value !== 'object') return undefined;
  if (depth > MAX_DEPTH)
    return { path: path || '(body)', message: `is nested deeper than ${MAX_DEPTH} levels` };
  for (const [key, child] of Object.entries(value)) {
    const at = path ? `${path}.${key}` : key;
    const found = textProblem(key, at) ?? findUnstorable(child, at, depth + 1);
    if (found) return found;
  }
  return undefined;
}

function textProblem(text: string, path: string): Unstorable | undefined {
  if (text.includes('\u0000')) return { path, message: 'must not contain a NUL character' };
  if (!text.isWellFormed())
    return { path, message: 'must be valid Unicode (it holds half of a surrogate pair)' };
  return undefined;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * A JSON body said to be UTF-8 (JSON's only encoding, RFC 8259 §8.1) must be: the body parser
 * would read Latin-1 bytes or a UTF-16 file as U+FFFD and store "Caf\ufffd" for "Café".
 * Thrown from express.json's verify, so the body is refused before it is parsed.
 */
export function refuseMisencodedJson(bytes: Buffer, encoding: string): void {
  if (!/^utf-?8$/i.test(encoding)) return;
  try {
    strictUtf8.decode(bytes);
  } catch {
    throw new HttpError(
      400,
      'REQUEST.ENCODING',
      'The body is not UTF-8: send JSON as UTF-8 (a file saved as Latin-1 or UTF-16 is not)',
    );
  }
}

const NOT_JSON = Symbol('not JSON');

/** A body sent without a JSON content type (curl's default, a signed call) is read as JSON if it is. */
function jsonOf(bytes: Buffer): unknown {
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return NOT_JSON;
  }
}

/**
 * Every request's JSON body, query and path, checked once before any route sees them: text that
 * could only fail in the database is a 400 naming its field, whatever the route's own schema says.
 * JSON sent without its Content-Type is read as JSON; a body that is neither JSON nor CSV is a 415.
 */
export const guardRequest: RequestHandler = (req, _res, next) => {
  let path: string;
  try {
    path = decodeURIComponent(req.path);
  } catch {
    return next(
      new HttpError(400, 'REQUEST.INVALID', 'The path is not valid percent-encoded UTF-8'),
    );
  }
  if (Buffer.isBuffer(req.body)) {
    const body = req.body.length === 0 ? undefined : jsonOf(req.body);
    if (body === NOT_JSON)
      return next(
        new HttpError(
          415,
          'REQUEST.UNSUPPORTED_MEDIA_TYPE',
          `Send JSON with "Content-Type: application/json", or a CSV upload with "Content-Type: text/csv" (this body came as ${req.get('content-type') || 'no content type'}, and is not JSON)`,
        ),
      );
    req.body = body;
  }
  const found =
    textProblem(path, '(path)') ??
    findUnstorable(req.query, 'query') ??
    (req.body === undefined ? undefined : findUnstorable(req.body, 'body'));
  if (found)
    return next(
      new HttpError(400, 'REQUEST.INVALID', 'The request is not valid', [
        {
          path: found.path.replace(/^(?:body|query)(?:\.|$)/, '') || '(body)',
          message: found.message,
        },
      ]),
    );
  next();
};

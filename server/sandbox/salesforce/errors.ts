import type { Response } from 'express';

/** One error as Salesforce reports it; REST answers carry an array of them. */
export interface SfError {
  errorCode: string;
  message: string;
  fields: string[];
}

export type SfResult<T> = { ok: true; value: T } | { ok: false; errors: SfError[] };

export const sfError = (errorCode: string, message: string, fields: string[] = []): SfError => ({
  errorCode,
  message,
  fields,
});

export const failure = <T>(...errors: SfError[]): SfResult<T> => ({ ok: false, errors });

/** The REST API's error body: [{ message, errorCode, fields }]. */
export function sendErrors(res: Response, status: number, errors: SfError[]): void {
  res
    .status(status)
    .json(errors.map((e) => ({ message: e.message, errorCode: e.errorCode, fields: e.fields })));
}

export function salesforceError(
  res: Response,
  status: number,
  errorCode: string,
  message: string,
  fields: string[] = [],
): void {
  sendErrors(res, status, [sfError(errorCode, message, fields)]);
}

export const notFound = (res: Response) =>
  salesforceError(res, 404, 'NOT_FOUND', 'The requested resource does not exist');

/** Thrown by query compilation and answered as a 400 with its code. */
export class SoqlError extends Error {
  constructor(
    readonly errorCode:
      | 'MALFORMED_QUERY'
      | 'INVALID_FIELD'
      | 'INVALID_TYPE'
      | 'INVALID_QUERY_LOCATOR'
      | 'NUMBER_OUTSIDE_VALID_RANGE',
    message: string,
  ) {
    super(message);
  }
}

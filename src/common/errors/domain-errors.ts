/** A message key from the translation catalogue, with the values it needs. */
export interface Message {
  key: string;
  params?: Record<string, string | number>;
}

export type FieldErrors = Record<string, Message>;

/** Errors that services throw; the exception filter turns each into a page, a form or JSON. */
export abstract class DomainError extends Error {
  abstract readonly status: number;
  constructor(readonly detail: Message) {
    super(detail.key);
  }
}

export class NotFoundError extends DomainError {
  readonly status = 404;
  constructor(detail: Message = { key: 'errors.notFound' }) {
    super(detail);
  }
}

export class ValidationError extends DomainError {
  readonly status: number = 422;
  constructor(readonly fields: FieldErrors, detail: Message = { key: 'errors.validation' }) {
    super(detail);
  }
}

/** An upload over its size limit: 413, with the message beside the field like any refused input. */
export class PayloadTooLargeError extends ValidationError {
  override readonly status: number = 413;
}

export class ConflictError extends DomainError {
  readonly status = 409;
}

export class ForbiddenError extends DomainError {
  readonly status = 403;
  constructor(detail: Message = { key: 'errors.forbidden' }) {
    super(detail);
  }
}

/**
 * Signed in, but a step must come first (enrolling in MFA): pages are sent to `location`, the API
 * answers 403 with `code` for clients to act on.
 */
export class StepRequiredError extends ForbiddenError {
  constructor(readonly code: string, readonly location: string, detail: Message) {
    super(detail);
  }
}

export class UnauthenticatedError extends DomainError {
  readonly status = 401;
  constructor(detail: Message = { key: 'errors.unauthenticated' }) {
    super(detail);
  }
}

/** Too many tries: 429 with Retry-After; `fields` puts the message beside the field tried (a form re-render). */
export class TooManyRequestsError extends DomainError {
  readonly status = 429;
  constructor(detail: Message, readonly retryAfterSeconds: number, readonly fields: FieldErrors = {}) {
    super(detail);
  }
}

export class UnsupportedMediaTypeError extends DomainError {
  readonly status = 415;
  constructor(detail: Message = { key: 'errors.unsupportedMediaType' }) {
    super(detail);
  }
}

/** A request the app cannot read at all (a body nested past its bound): 400, before any DTO sees it. */
export class BadRequestError extends DomainError {
  readonly status = 400;
}

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
  readonly status = 422;
  constructor(readonly fields: FieldErrors, detail: Message = { key: 'errors.validation' }) {
    super(detail);
  }
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

export class UnauthenticatedError extends DomainError {
  readonly status = 401;
  constructor(detail: Message = { key: 'errors.unauthenticated' }) {
    super(detail);
  }
}

export class TooManyRequestsError extends DomainError {
  readonly status = 429;
  constructor(detail: Message, readonly retryAfterSeconds: number) {
    super(detail);
  }
}

export class UnsupportedMediaTypeError extends DomainError {
  readonly status = 415;
  constructor() {
    super({ key: 'errors.unsupportedMediaType' });
  }
}

import { DomainError, Message } from '../common/errors/domain-errors';

/**
 * The request has no valid ward-tablet credential (none, forged or revoked): 401, a page or JSON.
 * Not an UnauthenticatedError, which would send a page to the password sign-in.
 */
export class DeviceRefusedError extends DomainError {
  readonly status = 401;
  constructor(detail: Message = { key: 'ward.deviceRefused' }) {
    super(detail);
  }
}

/** A wrong PIN (401 in the API; a field error on the PIN page). */
export class WrongPinError extends DomainError {
  readonly status = 401;
}

/** Five wrong PINs in a row: the carer's PIN waits for a manager (423 Locked). */
export class PinLockedError extends DomainError {
  readonly status = 423;
  constructor(detail: Message = { key: 'ward.pinLocked' }) {
    super(detail);
  }
}

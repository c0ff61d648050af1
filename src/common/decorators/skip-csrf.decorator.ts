import { SetMetadata } from '@nestjs/common';

export const SKIP_CSRF = 'insieme:skip-csrf';

/**
 * Only for the API sign-in, which has no session (and so no token) yet. It accepts JSON only, which a
 * cross-site form cannot send.
 */
export const SkipCsrf = () => SetMetadata(SKIP_CSRF, true);

import { SetMetadata } from '@nestjs/common';

export const ALLOW_WITHOUT_MFA = 'insieme:allow-without-mfa';

/** Reachable by an admin or manager who must still enrol in MFA: the enrolment itself, signing out, the language. */
export const AllowWithoutMfa = () => SetMetadata(ALLOW_WITHOUT_MFA, true);

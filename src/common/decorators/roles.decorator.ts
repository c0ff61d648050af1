import { SetMetadata } from '@nestjs/common';
import type { Role } from '../../auth/auth.enums';

export const ROLES_KEY = 'insieme:roles';

/** Narrows a signed-in route to these roles. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

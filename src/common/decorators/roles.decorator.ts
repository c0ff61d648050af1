import { SetMetadata } from '@nestjs/common';
import type { Role } from '../../auth/entities/user.entity';

export const ROLES_KEY = 'insieme:roles';

/** Narrows a signed-in route to these roles. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

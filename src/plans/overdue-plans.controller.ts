import { Controller, Get, Render } from '@nestjs/common';
import { rolesThat } from '../common/access/access-policy';
import type { SessionUser } from '../common/access/session-user';
import { CurrentUser } from '../common/decorators/current-user.decorator';
import { Roles } from '../common/decorators/roles.decorator';

import { PlansService } from './plans.service';

/** Plans that need the coordinator: reviews past due, and residents without an agreed plan. */
@Controller('plans')
@Roles(...rolesThat('editPlans'))
export class OverduePlansController {
  constructor(private readonly plans: PlansService) {}

  @Get('overdue')
  @Render('plans/overdue')
  async overdue(@CurrentUser() user: SessionUser) {
    return this.plans.overdue(user);
  }
}

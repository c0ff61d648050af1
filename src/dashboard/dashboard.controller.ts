import { Controller, Get, Render } from '@nestjs/common';
import type { SessionUser } from '../common/access/session-user';
import { CurrentUser } from '../common/decorators/current-user.decorator';
import { HomesService } from '../homes/homes.service';

/** The first page after sign-in. Each role's own overview joins it as its features arrive. */
@Controller()
export class DashboardController {
  constructor(private readonly homes: HomesService) {}

  @Get()
  @Render('dashboard/index')
  async index(@CurrentUser() user: SessionUser) {
    return { homes: await this.homes.listForUser(user), isAdmin: user.role === 'admin' };
  }
}

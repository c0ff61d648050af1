import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from './demo-accounts';

/** Whether this is a demo install, whose sign-in page lists the demo accounts. Never in production. */
@Injectable()
export class DemoState {
  private active = false;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  markActive(): void {
    if (!this.config.isProduction) this.active = true;
  }

  accountsToShow(): { email: string; role: string; password: string }[] | undefined {
    return this.active ? DEMO_ACCOUNTS.map((account) => ({ ...account, password: DEMO_PASSWORD })) : undefined;
  }
}

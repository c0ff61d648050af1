import { MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { DemoStateModule } from '../demo/demo-state.module';
import { MessagesModule } from '../messages/messages.module';
import { WardDevicesModule } from '../ward-devices/ward-devices.module';
import { RequestContextMiddleware } from './request-context.middleware';

/**
 * What every request starts with: the signed-in user, the language, and what every page shows (the
 * navigation, flash messages, unread notifications, the demo accounts on a demo install). It sits
 * above auth, notifications and the demo, so none of them imports another for the page's sake.
 */
@Module({ imports: [AuthModule, DemoStateModule, WardDevicesModule, MessagesModule] })
export class RequestContextModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(RequestContextMiddleware).forRoutes('{*path}');
  }
}

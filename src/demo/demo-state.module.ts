import { Global, Module } from '@nestjs/common';
import { DemoState } from './demo-state';

@Global()
@Module({ providers: [DemoState], exports: [DemoState] })
export class DemoStateModule {}

import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request } from 'express';
import type { Observable } from 'rxjs';
import { foldMoodRadios } from './dto/participation.dto';

/**
 * The log form's mood radio groups folded into the form's parallel lists before validation
 * (interceptors run before pipes), so `ParticipationFormDto` declares every field it accepts.
 */
@Injectable()
export class LogFormInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<Request>();
    if (req.body && typeof req.body === 'object' && !Array.isArray(req.body)) req.body = foldMoodRadios(req.body as Record<string, unknown>);
    return next.handle();
  }
}

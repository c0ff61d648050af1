import { randomBytes } from 'node:crypto';
import { TEMPLATE_RUN } from './test-template';

/** Jest's global set-up for the e2e and browser projects: names this run's template database. */
export default function globalSetup(): void {
  process.env[TEMPLATE_RUN] ??= randomBytes(4).toString('hex');
}

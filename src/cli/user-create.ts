import 'reflect-metadata';
import { AuthService } from '../auth/auth.service';
import { Role, ROLES } from '../auth/auth.enums';
import { DomainError } from '../common/errors/domain-errors';
import { translate } from '../common/i18n/i18n';
import { HomesService } from '../homes/homes.service';
import { createCliContext, fail, parseArgs, readStdin } from './cli-support';

const USAGE = 'Usage: npm run user:create -- --email E --role R --home SLUG [--name "Full Name"] --password-stdin';

/** Creates an account; in production this is the only way the first account comes to exist. */
async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const email = args.get('email');
  const role = args.get('role');
  const homeSlug = args.get('home');
  if (typeof email !== 'string' || typeof role !== 'string') fail(USAGE);
  if (!(ROLES as readonly string[]).includes(role)) fail(`--role must be one of ${ROLES.join(', ')}`);
  if (role !== 'admin' && typeof homeSlug !== 'string') fail(`--home is required for role ${role}\n${USAGE}`);
  if (args.get('password-stdin') !== true) fail(`The password is read from standard input: add --password-stdin\n${USAGE}`);
  const password = (await readStdin()).replace(/\r?\n$/, '');

  const { app } = await createCliContext();
  try {
    const homeIds = typeof homeSlug === 'string' ? [(await app.get(HomesService).findBySlug(homeSlug)).id] : [];
    const name = args.get('name');
    const user = await app.get(AuthService).createUser({
      email, role: role as Role, password, homeIds, displayName: typeof name === 'string' ? name : email.split('@')[0],
    });
    console.log(`Created ${user.role} ${user.email}${homeSlug ? ` in ${homeSlug}` : ''}`);
  } catch (error) {
    if (error instanceof DomainError) {
      const fields = 'fields' in error ? Object.entries((error as { fields: Record<string, { key: string; params?: Record<string, string | number> }> }).fields) : [];
      const detail = fields.map(([field, m]) => `${field}: ${translate('en', m.key, m.params)}`).join('; ');
      fail(detail || translate('en', error.detail.key, error.detail.params));
    }
    throw error;
  } finally {
    await app.close();
  }
}

void main();

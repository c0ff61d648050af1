import 'reflect-metadata';
import { AuthService } from '../auth/auth.service';
import { Role, ROLES } from '../auth/auth.enums';
import { DomainError } from '../common/errors/domain-errors';
import { translate } from '../common/i18n/i18n';
import { HomesService } from '../homes/homes.service';
import { COMMANDS } from './cli-options';
import { commandLineOrExit, createCliContext, fail, readStdin, usageError } from './cli-support';

const { usage: USAGE } = COMMANDS.userCreate;

/** Creates an account; in production this is the only way the first account comes to exist. */
async function main(): Promise<void> {
  const { values } = commandLineOrExit(COMMANDS.userCreate);
  const { email, role, home: homeSlug, name } = values;
  if (email === undefined || role === undefined) usageError(`Missing ${email === undefined ? '--email' : '--role'}`, USAGE);
  if (!(ROLES as readonly string[]).includes(role)) usageError(`--role must be one of ${ROLES.join(', ')}`, USAGE);
  if (role !== 'admin' && homeSlug === undefined) usageError(`--home is required for role ${role}`, USAGE);
  if (values['password-stdin'] !== true) usageError('The password is read from standard input: add --password-stdin', USAGE);
  const password = (await readStdin()).replace(/\r?\n$/, '');

  const { app } = await createCliContext();
  try {
    const homeIds = homeSlug !== undefined ? [(await app.get(HomesService).findBySlug(homeSlug)).id] : [];
    const user = await app.get(AuthService).createUser({
      email, role: role as Role, password, homeIds, displayName: name ?? email.split('@')[0],
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

import { Foundation1795881600000 } from './1795881600000-foundation';
import { Invitations1795881700000 } from './1795881700000-invitations';

/** Every migration in order. Never edit one that has been merged: add a new one. */
export const migrations = [Foundation1795881600000, Invitations1795881700000];

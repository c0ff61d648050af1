import { ValidationError } from '../common/errors/domain-errors';

/**
 * The text fields of a multipart form, read by hand (the validation pipe sees the body before the
 * upload is read): only the expected names, each once unless it is a list.
 */
export function multipartFields<K extends string, L extends string>(body: unknown, singles: readonly K[], lists: readonly L[] = []): Record<K, string | undefined> & Record<L, string[]> {
  const fields = (body ?? {}) as Record<string, unknown>;
  const out: Record<string, string | string[] | undefined> = {};
  for (const [name, value] of Object.entries(fields)) {
    if ((lists as readonly string[]).includes(name)) {
      const values = Array.isArray(value) ? value : [value];
      if (!values.every((v) => typeof v === 'string')) throw new ValidationError({ [name]: { key: 'validation.invalid' } });
      out[name] = values as string[];
    } else if ((singles as readonly string[]).includes(name)) {
      if (typeof value !== 'string') throw new ValidationError({ [name]: { key: 'validation.invalid' } });
      out[name] = value;
    } else {
      throw new ValidationError({ photo: { key: 'photos.badForm' } });
    }
  }
  for (const name of lists) out[name] ??= [];
  return out as Record<K, string | undefined> & Record<L, string[]>;
}

export function pageNumber(value: unknown): number {
  const n = typeof value === 'string' && /^\d{1,4}$/.test(value) ? Number(value) : 1;
  return Math.max(1, n);
}

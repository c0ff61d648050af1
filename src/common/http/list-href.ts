/** A list page's address keeping its search and filters (blank ones left out), for the paging links. */
export function listHref(path: string, filters: Record<string, string | null | undefined>, page: number): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(filters)) if (value) params.set(name, value);
  if (page > 1) params.set('page', String(page));
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

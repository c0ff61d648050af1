/** A choice of a select: its value, its text, and any `data-*` attributes a script reads. */
export interface Option {
  id: string;
  name: string;
  data?: Record<string, string | number>;
}

export interface OptionGroup {
  label: string;
  options: Option[];
}

/**
 * Choices that belong to homes (units, types, staff), grouped under each home's name when they come
 * from several homes (`<optgroup label="Home">` in `partials/select.hbs`); one home's need no groups
 * (undefined). Homes are in the order `homeNames` lists them, choices in the order given.
 */
export function groupByHome<T extends Option & { homeId: string }>(choices: readonly T[], homeNames: ReadonlyMap<string, string>): OptionGroup[] | undefined {
  const homes = new Set(choices.map((choice) => choice.homeId));
  if (homes.size < 2) return undefined;
  const order = [...homeNames.keys(), ...[...homes].filter((id) => !homeNames.has(id))];
  return order
    .filter((homeId) => homes.has(homeId))
    .map((homeId) => ({ label: homeNames.get(homeId) ?? '', options: choices.filter((choice) => choice.homeId === homeId).map(({ id, name, data }) => ({ id, name, ...(data ? { data } : {}) })) }));
}

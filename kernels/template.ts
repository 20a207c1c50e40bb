// Fills kernel templates by field name (`{{name}}`), never by position (STYLE.md, habit 5, DeepGEMM's
// ~20 positional `{}` arguments being the warning). A field left unfilled or a value never used is a bug.

export type TemplateValue = string | number | boolean;

export function fillTemplate(template: string, fields: Readonly<Record<string, TemplateValue>>): string {
  const used = new Set<string>();
  const text = template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
    if (!(name in fields)) throw new Error(`template field {{${name}}} has no value`);
    used.add(name);
    return String(fields[name]);
  });
  const unused = Object.keys(fields).filter((name) => !used.has(name));
  if (unused.length > 0) throw new Error(`template values never used: ${unused.join(', ')}`);
  return text;
}

/** The first line of every generated source: which family, problem and config it is. */
export function sourceHeader(comment: string, family: string, problem: object, config: object): string {
  return `${comment} tilesweep ${family} | problem ${JSON.stringify(problem)} | config ${JSON.stringify(config)}`;
}

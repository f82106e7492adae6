/** Where in the config a problem sits, and what is wrong there. */
export interface ConfigIssue {
  path: readonly PropertyKey[]
  message: string
}

/**
 * Every problem of one config file in one error. The message names the file,
 * then each asset and field with what is accepted, so that nobody needs the
 * stack trace (which is dropped).
 */
export class AssetsConfigError extends Error {
  override name = 'AssetsConfigError'
  constructor(readonly file: string, readonly issues: ConfigIssue[]) {
    const lines = issues.map(issue => `  - ${describePath(issue.path)}${issue.message}`)
    super(issues.length === 1
      ? `Invalid assets config ${file}: ${describePath(issues[0]!.path)}${issues[0]!.message}`
      : `Invalid assets config ${file} (${issues.length} problems):\n${lines.join('\n')}`)
    this.stack = `${this.name}: ${this.message}`
  }
}

/** A problem with the file as a whole: not found, throws, no default export. */
export function fileError(file: string, message: string): AssetsConfigError {
  return new AssetsConfigError(file, [{ path: [], message }])
}

/** `asset "hero", field "widths[0]": ` from `['assets', 'hero', 'widths', 0]`. */
export function describePath(path: readonly PropertyKey[]): string {
  const [section, name, ...rest] = path.map(String)
  if (section === undefined)
    return ''
  if ((section === 'assets' || section === 'palettes') && name !== undefined)
    return `${section === 'assets' ? 'asset' : 'palette'} "${name}"${rest.length > 0 ? `, field "${field(rest)}"` : ''}: `
  if (section === 'defaults')
    return `defaults${name !== undefined ? `, field "${field([name, ...rest])}"` : ''}: `
  return `field "${field([section, ...(name === undefined ? [] : [name]), ...rest])}": `
}

function field([first, ...rest]: string[]): string {
  return first + rest.map(part => /^\d+$/.test(part) ? `[${part}]` : `.${part}`).join('')
}

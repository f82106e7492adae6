/**
 * What a server said, made readable: the provider's own words from any of the
 * documented error shapes, or the start of a body we could not use.
 */

/** The start of a body, on one line, for messages about answers we could not use. */
export function excerpt(text: string, max = 200): string {
  const line = text.replace(/\s+/g, ' ').trim()
  return line.length > max ? `${line.slice(0, max)}…` : line || '(empty body)'
}

/**
 * What the provider said went wrong, from any of the documented error shapes:
 * Cloudflare's and Runware's `errors: [{ code, message }]`, `{ message }`,
 * `{ error }`, `{ detail }`; plain text unless the Content-Type says JSON
 * (Recraft answers `request unauthorized` as text/plain).
 */
export function providerMessage(text: string, contentType: string | null): string {
  if (!contentType?.includes('json'))
    return excerpt(text)
  let body: unknown
  try {
    body = JSON.parse(text)
  }
  catch {
    return excerpt(text)
  }
  return messageOf(body) ?? excerpt(text)
}

export function messageOf(body: unknown): string | undefined {
  if (typeof body === 'string')
    return body
  if (typeof body !== 'object' || body === null)
    return undefined
  const b = body as Record<string, unknown>
  if (Array.isArray(b.errors) && b.errors.length > 0) {
    return b.errors.map((e: Record<string, unknown>) => {
      const code = e?.code === undefined ? '' : ` (code ${e.code})`
      return `${typeof e?.message === 'string' ? e.message : JSON.stringify(e)}${code}`
    }).join('; ')
  }
  for (const field of ['message', 'error', 'detail', 'error_description']) {
    const found = messageOf(b[field])
    if (found)
      return typeof b.code === 'string' || typeof b.code === 'number' ? `${found} (code ${b.code})` : found
  }
  return undefined
}

/**
 * Names that every JavaScript object already has (`__proto__`, `constructor`,
 * `toString`…) cannot be asset or palette names: written `{ __proto__: … }`
 * in an object literal the entry sets the object's prototype and vanishes,
 * written `{ ['__proto__']: … }` (or read from JSON) it is dropped again when
 * the config is parsed into a new object, and `constructor` would be mistaken
 * for a lookup of `Object`. This runs on the config exactly as the file
 * exported it, before anything copies it, so that each one becomes an error
 * instead of an asset that silently never exists.
 */
import type { ConfigIssue } from './errors'
import { isPlainObject } from '../common/objects'

/** Own keys of `Object.prototype`, and `prototype` (a function's, as in `Foo.prototype`). */
export const PROTOTYPE_KEYS: ReadonlySet<string> = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype'])

type Plain = Record<string, unknown>

/**
 * Whether the object literal had a `__proto__: …` entry: its prototype is then
 * an object of the config's own (whose own prototype is not null), where a
 * plain object has `Object.prototype`. A class's prototype owns `constructor`,
 * so class instances pass.
 */
function hadLiteralProto(value: Plain): boolean {
  const proto = Object.getPrototypeOf(value) as object | null
  return proto !== null && Object.getPrototypeOf(proto) !== null && !Object.hasOwn(proto, 'constructor')
}

const LITERAL_PROTO = '`__proto__: …` in an object literal sets the object\'s prototype'

/** What to call an entry instead: its letters and digits in kebab case, then what it is. */
export function renamed(key: string, kind: string): string {
  const words = key.replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase().match(/[a-z0-9]+/g) ?? []
  return [...words, kind].join('-')
}

/**
 * Every prototype key used as the name of an asset, a palette, or a
 * `providerOptions` field, and every `__proto__: …` literal entry in the
 * config's own objects: one issue each, with what to do instead.
 */
export function prototypeKeyIssues(config: unknown): ConfigIssue[] {
  const issues: ConfigIssue[] = []

  /** An object of documented fields (the config, `defaults`, an asset, a palette). */
  const fields = (value: unknown, path: PropertyKey[]) => {
    if (isPlainObject(value) && hadLiteralProto(value))
      issues.push({ path, message: `unknown field "__proto__": ${LITERAL_PROTO}, which no field of the config does. Accepted: the fields of the Config reference; remove it` })
  }

  /** An object whose keys are names the user chose (`assets`, `palettes`). */
  const names = (record: unknown, path: PropertyKey[], kind: 'asset' | 'palette') => {
    if (!isPlainObject(record))
      return
    if (hadLiteralProto(record))
      issues.push({ path: [...path, '__proto__'], message: `${LITERAL_PROTO} instead of adding an ${kind}, so the ${kind} would be lost. Accepted: any other name; rename it, e.g. to "${renamed('__proto__', kind)}"` })
    for (const [key, value] of Object.entries(record)) {
      if (PROTOTYPE_KEYS.has(key))
        issues.push({ path: [...path, key], message: `"${key}" is a name every JavaScript object already has, so the ${kind} would be lost or mistaken for another value. Accepted: any other name; rename it, e.g. to "${renamed(key, kind)}"` })
      else
        fields(value, [...path, key])
    }
  }

  /** `providerOptions`, at every depth: they are merged key by key into the provider's request. */
  const options = (value: unknown, path: PropertyKey[]) => {
    if (Array.isArray(value)) {
      value.forEach((item, index) => options(item, [...path, index]))
      return
    }
    if (!isPlainObject(value))
      return
    if (hadLiteralProto(value))
      issues.push({ path: [...path, '__proto__'], message: `${LITERAL_PROTO} instead of adding a field, so it would be lost. Accepted: the fields the provider's API documents; remove it` })
    for (const [key, item] of Object.entries(value)) {
      if (PROTOTYPE_KEYS.has(key))
        issues.push({ path: [...path, key], message: `"${key}" is a name every JavaScript object already has, and no field of a provider's API. Accepted: the fields the provider's API documents; remove it` })
      else
        options(item, [...path, key])
    }
  }

  if (!isPlainObject(config))
    return issues
  fields(config, [])
  fields(config.defaults, ['defaults'])
  names(config.assets, ['assets'], 'asset')
  names(config.palettes, ['palettes'], 'palette')
  if (isPlainObject(config.defaults))
    options(config.defaults.providerOptions, ['defaults', 'providerOptions'])
  if (isPlainObject(config.assets)) {
    for (const [name, asset] of Object.entries(config.assets)) {
      if (isPlainObject(asset) && !PROTOTYPE_KEYS.has(name))
        options(asset.providerOptions, ['assets', name, 'providerOptions'])
    }
  }
  return issues
}

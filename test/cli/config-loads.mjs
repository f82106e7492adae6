/**
 * `node --import ./config-loads.mjs …`: appends one line per config load to
 * $AI_ASSETS_CONFIG_LOADS, `cached` (served from the validated-config cache)
 * or `checked`, from the diagnostics channel loadAssetsConfig announces on.
 */
import { subscribe } from 'node:diagnostics_channel'
import { appendFileSync } from 'node:fs'
import process from 'node:process'

const log = process.env.AI_ASSETS_CONFIG_LOADS
if (!log)
  throw new Error('config-loads.mjs needs AI_ASSETS_CONFIG_LOADS: the file to list config loads in')
subscribe('unplugin-ai-assets:config-load', ({ cached }) => appendFileSync(log, `${cached ? 'cached' : 'checked'}\n`))

/** What the reliability tests check a store against: every entry intact, nothing paid left outside the lockfile. */
import type { FakeServer } from '../fakes/server'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { sha256 } from '../../src/common/hash'
import { isStoreFile } from '../../src/core/store'
import { listFiles } from '../helpers'

export interface StoreView {
  lock: Record<string, any>
  /** Problems with lock entries: a file missing or not matching its sha256. */
  broken: string[]
  /** Originals (not temp files) the lockfile does not reference. */
  unreferenced: string[]
  /** Temp files a killed write left. */
  temps: string[]
  /** Journals by key, as a killed run left them. */
  journals: Map<string, any>
  /** Lock folders still present. */
  locks: string[]
}

const ORIGINAL = /\.[0-9a-f]{12}\.(?:png|jpg|webp|avif|gif|tiff)$/

export function intact(store: string, file: string, expected: string): boolean {
  const path = join(store, file)
  return existsSync(path) && sha256(readFileSync(path)) === expected
}

export function viewStore(store: string): StoreView {
  const lockPath = join(store, 'ai-assets.lock.json')
  const lock = existsSync(lockPath) ? JSON.parse(readFileSync(lockPath, 'utf8')) : {}
  const referenced = new Set<string>()
  const broken: string[] = []
  for (const [name, entry] of Object.entries<any>(lock)) {
    for (const file of [{ file: entry.file, sha256: entry.sha256 }, ...(entry.variants ?? [])]) {
      referenced.add(file.file)
      if (!intact(store, file.file, file.sha256))
        broken.push(`${name}: ${file.file}`)
    }
  }
  const files = existsSync(store) ? listFiles(store).filter(file => !file.startsWith('.locks')) : []
  const locksDir = join(store, '.locks')
  const journals = new Map<string, any>()
  const locks: string[] = []
  for (const name of existsSync(locksDir) ? readdirSync(locksDir) : []) {
    if (name.endsWith('.journal.json')) {
      try {
        journals.set(name.slice(0, -'.journal.json'.length), JSON.parse(readFileSync(join(locksDir, name), 'utf8')))
      }
      catch {}
    }
    if (name.endsWith('.lock'))
      locks.push(name)
  }
  return {
    lock,
    broken,
    unreferenced: files.filter(file => ORIGINAL.test(file) && !referenced.has(file)),
    temps: files.filter(file => !ORIGINAL.test(file) && isStoreFile(file.split('/').at(-1)!) && file !== 'ai-assets.lock.json'),
    journals,
    locks,
  }
}

/** Whether a key's paid image is safe after a kill: recorded in the lockfile, or in a completed journal with its files intact. */
export function isRecorded(store: string, view: StoreView, key: string): boolean {
  if (Object.values<any>(view.lock).some(entry => entry.key === key && intact(store, entry.file, entry.sha256)))
    return true
  const entry = view.journals.get(key)?.entry
  return !!entry && [{ file: entry.file, sha256: entry.sha256 }, ...(entry.variants ?? [])].every(file => intact(store, file.file, file.sha256))
}

/** Provider calls the Runware fake received, by prompt. */
export function callsByPrompt(fake: FakeServer): Map<string, number> {
  const calls = new Map<string, number>()
  for (const request of fake.apiRequests) {
    for (const task of Array.isArray(request.json) ? request.json : []) {
      if (task.taskType === 'imageInference')
        calls.set(task.positivePrompt, (calls.get(task.positivePrompt) ?? 0) + 1)
    }
  }
  return calls
}

/** Types of find-browser.mjs, for the tests that import it. */
export interface Environment {
  /** Where the variables are read. @default process.env */
  env?: Record<string, string | undefined>
  /** @default process.platform */
  platform?: NodeJS.Platform
  /** @default os.homedir() */
  home?: string
}

/** Variables naming a browser; the first one set wins, and must lead to an executable. */
export declare const BROWSER_VARIABLES: string[]
/** Folders where Playwright keeps the browsers it downloads. */
export declare function playwrightCaches(environment?: Environment): string[]
/** Every candidate path, in the order they are tried (variables excluded). */
export declare function candidates(environment?: Environment): string[]
/** The path of a Chromium, or undefined; throws when a variable names a file that is not an executable. */
export declare function findChromium(environment?: Environment): string | undefined
/** How a Chromium can be installed here, in order; each attempt is commands run one after another. */
export declare function installPlan(machine?: { platform?: NodeJS.Platform, root?: boolean, debian?: boolean }): { title: string, attempts: string[][][] }[]
/** Installs a Chromium and gives its path, or throws one message saying what was tried. */
export declare function installChromium(options?: { log?: (line: string) => void } & Environment): string
/** A Chromium's path: found, or installed unless `install: false` (then it throws when there is none). */
export declare function ensureChromium(options?: { install?: boolean, log?: (line: string) => void } & Environment): string

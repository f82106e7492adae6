// jsdom ships no types, and @types/jsdom pulls the DOM library into every file of the project
// (turning Node's fetch types into the browser's). The one constructor used here is enough.
declare module 'jsdom' {
  export class JSDOM {
    constructor(html?: string)
    readonly window: unknown
  }
}

// Injected by esbuild (--define) at build time and by vitest's `define`.
declare const FOYER_VERSION: string;

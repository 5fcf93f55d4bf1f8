// The file extensions of the TypeScript/JavaScript backend, in a module of their own that does not
// load the compiler: front doors list supported files before (and often without) analysing any.
export const TS_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'] as const;

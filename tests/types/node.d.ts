// node.d.ts: the one Node API the README examples use (they read the .wasm
// file in the init({ wasm }) example), declared here so the type check needs
// no @types/node.
declare module 'node:fs/promises' {
  export function readFile(path: string | URL): Promise<Uint8Array>;
}

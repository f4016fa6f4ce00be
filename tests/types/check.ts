// check.ts: exact type equality for the type tests: exact<A, B>(true)
// compiles only when A and B are the same type (not merely assignable).
export type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true : false;
export function exact<A, B>(same: Equal<A, B>): void {
  void same;
}

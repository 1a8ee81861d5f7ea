import { describe, expect, it } from 'vitest';
import { Kind, parse, type OperationDefinitionNode } from 'graphql';
import { compilable } from './jit.ts';

const check = (source: string) => {
  const document = parse(source);
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  return compilable(document, operation);
};

describe('which documents are compiled', () => {
  it("compiles queries whose variables are only its root fields' arguments (the board's)", () => {
    expect(check(`query($bbox: BBoxInput!, $first: Int!) { needs(filter: { bbox: $bbox }, first: $first) { edges { node { id title } } } }`)).toBe(true);
    expect(check(`{ needs(first: 5) { edges { node { id events(first: 2) { edges { node { id } } } } } } }`)).toBe(true);
  });

  it('leaves to the executor a variable beneath a root field, in a directive or a fragment, and every mutation or subscription', () => {
    expect(check(`query($n: Int) { needs { edges { node { id events(first: $n) { edges { node { id } } } } } } }`)).toBe(false);
    expect(check(`query($x: Boolean!) { needs { edges { node { id title @include(if: $x) } } } }`)).toBe(false);
    expect(check(`query($x: Boolean!) { needs @skip(if: $x) { totalCount } }`)).toBe(false);
    expect(check(`query($n: Int) { ...F } fragment F on Query { needs(first: $n) { totalCount } }`)).toBe(false);
    expect(check(`mutation { signOut }`)).toBe(false);
    expect(check(`subscription { needChanged { id } }`)).toBe(false);
  });
});

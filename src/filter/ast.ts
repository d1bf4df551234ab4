/**
 * Every match operator has a positive form; the `not`/`!=` spellings are the
 * same test negated. Keeping them as one test plus a flag is what makes
 * "true only if no array element matches" fall out for free.
 */
export type MatchTest = 'equal' | 'in' | 'empty' | 'matches';

export interface Selector {
  /** Field names and bracketed keys, in order. */
  readonly parts: readonly string[];
  readonly start: number;
}

export interface MatchValue {
  /** go-bexpr keeps every value as text and coerces it to the field's type when it compares. */
  readonly raw: string;
  readonly start: number;
}

export type Expr =
  | { readonly type: 'and'; readonly operands: readonly Expr[] }
  | { readonly type: 'or'; readonly operands: readonly Expr[] }
  | { readonly type: 'not'; readonly operand: Expr }
  | {
      readonly type: 'match';
      readonly test: MatchTest;
      readonly negate: boolean;
      readonly selector: Selector;
      /** Absent for `is empty`. */
      readonly value?: MatchValue;
    };

export type MatchExpr = Extract<Expr, { type: 'match' }>;

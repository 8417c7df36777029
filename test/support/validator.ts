/**
 * A scriptable PayloadValidator for core tests: returns the issue registered for an
 * (action, kind, direction) and records every call it gets.
 */
import type { Direction, PayloadKind, PayloadValidator, ValidationIssue } from '../../src/core/validator';

export interface ValidatorCall {
  action: string;
  kind: PayloadKind;
  direction: Direction;
  payload: unknown;
}

export class FakeValidator implements PayloadValidator {
  readonly calls: ValidatorCall[] = [];
  private readonly issues = new Map<string, ValidationIssue | ((payload: unknown) => ValidationIssue | undefined)>();

  /** Makes validate() return `issue` for this action, kind and direction. */
  fail(action: string, kind: PayloadKind, direction: Direction, issue: ValidationIssue | ((payload: unknown) => ValidationIssue | undefined)): this {
    this.issues.set(`${action}|${kind}|${direction}`, issue);
    return this;
  }

  validate(action: string, kind: PayloadKind, direction: Direction, payload: unknown): ValidationIssue | undefined {
    this.calls.push({ action, kind, direction, payload });
    const issue = this.issues.get(`${action}|${kind}|${direction}`);
    return typeof issue === 'function' ? issue(payload) : issue;
  }
}

// Suppression comments end to end. Lines with an `expect` marker must be reported; every other
// finding is suppressed.

// async-lint-disable-next-line
export async function nextLineAll() {}

// async-lint-disable-next-line unused-async
export async function nextLineListed() {}

// async-lint-disable-next-line blocking-call, unawaited
export async function nextLineOtherRules() {} // expect: unused-async

/* async-lint-disable-next-line sequential-await unused-async */
export async function nextLineBlockComment() {}

export async function lineAll() {} // async-lint-disable-line

export async function lineListed() {} // async-lint-disable-line unused-async -- kept for the interface

export async function lineOtherRule() {} // async-lint-disable-line blocking-call -- expect: unused-async

export async function notSuppressed() {} // expect: unused-async

// async-lint-disable-next-line unused-async
// (a directive applies to the line right after its comment only)

export async function tooFarBelow() {} // expect: unused-async

// Every use of the functions above is a direct call.
export function callAll() {
  void nextLineAll();
  void nextLineListed();
  void nextLineOtherRules();
  void nextLineBlockComment();
  void lineAll();
  void lineListed();
  void lineOtherRule();
  void notSuppressed();
  void tooFarBelow();
}

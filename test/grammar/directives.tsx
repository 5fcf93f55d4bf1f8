// SYNTAX TEST "source.tsx" "async-lint directives in TSX comments"

// async-lint-disable-next-line unawaited, blocking-call -- a reason
// ^^^^^^^^^^^^^^^^^^^^^^^^^^^^ keyword.other.directive.async-lint
//                              ^^^^^^^^^ constant.language.rule-id.async-lint
//                                       ^ punctuation.separator.comma.async-lint
//                                         ^^^^^^^^^^^^^ constant.language.rule-id.async-lint
//                                                          ^^^^^^^^ - constant.language.rule-id.async-lint
//                                                          ^^^^^^^^ - invalid.illegal.unknown-rule.async-lint
//                                                       ^^ - invalid.illegal.unknown-rule.async-lint
foo(); // async-lint-disable-line no-such-rule
//        ^^^^^^^^^^^^^^^^^^^^^^^ keyword.other.directive.async-lint
//                                ^^^^^^^^^^^^ invalid.illegal.unknown-rule.async-lint
/* async-lint-disable-file sequential-await */
// ^^^^^^^^^^^^^^^^^^^^^^^ keyword.other.directive.async-lint
//                         ^^^^^^^^^^^^^^^^ constant.language.rule-id.async-lint
//                                          ^^ punctuation.definition.comment.tsx
//                                          ^^ - invalid.illegal.unknown-rule.async-lint
const s = "async-lint-disable-line unawaited";
//         ^^^^^^^^^^^^^^^^^^^^^^^ - keyword.other.directive.async-lint
//                                 ^^^^^^^^^ - constant.language.rule-id.async-lint
// not-async-lint-disable-line and async-lint-disable-lines are other words
//     ^^^^^^^^^^^^^^^^^^^^^^^ - keyword.other.directive.async-lint
//                                 ^^^^^^^^^^^^^^^^^^^^^^^^ - keyword.other.directive.async-lint
/**
 * async-lint-disable-next-line await-in-loop
// ^^^^^^^^^^^^^^^^^^^^^^^^^^^^ keyword.other.directive.async-lint
//                              ^^^^^^^^^^^^^ constant.language.rule-id.async-lint
 */

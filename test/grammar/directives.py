# SYNTAX TEST "source.python" "async-lint directives in Python comments"

# async-lint-disable-next-line blocking-call,dangling-task -- legacy
# ^^^^^^^^^^^^^^^^^^^^^^^^^^^^ keyword.other.directive.async-lint
#                              ^^^^^^^^^^^^^ constant.language.rule-id.async-lint
#                                           ^ punctuation.separator.comma.async-lint
#                                            ^^^^^^^^^^^^^ constant.language.rule-id.async-lint
#                                                             ^^^^^^ - constant.language.rule-id.async-lint
time.sleep(1)  # async-lint-disable-line
#                ^^^^^^^^^^^^^^^^^^^^^^^ keyword.other.directive.async-lint
#    ^^^^^^^^ - keyword.other.directive.async-lint
x = "# async-lint-disable-file"
#      ^^^^^^^^^^^^^^^^^^^^^^^ - keyword.other.directive.async-lint
# async-lint-disable-file unawaited bogus
# ^^^^^^^^^^^^^^^^^^^^^^^ keyword.other.directive.async-lint
#                         ^^^^^^^^^ constant.language.rule-id.async-lint
#                                   ^^^^^ invalid.illegal.unknown-rule.async-lint

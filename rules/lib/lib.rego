# METADATA
# description: |
#   The helpers custom rules were first written against, kept under their old names: each one
#   delegates to the package that now holds it. New rules import those packages
#   (data.ssmpolicy.statements, .principals, .findings, ...) instead.
package ssmpolicy.lib

import data.ssmpolicy.arns
import data.ssmpolicy.findings
import data.ssmpolicy.principals as principal
import data.ssmpolicy.statements as statement
import data.ssmpolicy.text

unknown_marker := text.unknown_marker

unknown(s) if text.unknown(s)

statements := statement.list

values(x, path) := statement.values(x, path)

element(st, name) := statement.element(st, name)

allow(st) if statement.allow(st)

principals(st, name) := principal.of(st, name)

account_id(s) if arns.account_id(s)

account_of(v) := principal.account_of(v)

arn_parts(s) := ssmpolicy.arn.parse(s)

finding(path, message) := findings.at(path, message)

fact_finding(at, message) := findings.fact(at, message)

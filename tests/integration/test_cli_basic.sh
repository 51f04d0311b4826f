#!/usr/bin/env bash
# The CLI frame, hex and rand.
. "$(dirname "$0")/lib.sh"

expect_exit 0 "$UTIL" --help
grep -q '^  hex ' "$TMP/out" || fail "top-level help lists no hex command"
expect_exit 2 "$UTIL"
expect_exit 2 "$UTIL" no-such-command
grep -q "unrecognized subcommand 'no-such-command'" "$TMP/err" || fail "no unrecognized message"
for cmd in $("$UTIL" --help | awk '/^Commands:/{on=1;next} /^$/{on=0} on && $1!="help"{print $1}'); do
	expect_exit 0 "$UTIL" "$cmd" --help
	grep -q "^Usage: dstack-util $cmd" "$TMP/out" || fail "$cmd --help has no usage line"
	expect_exit 2 "$UTIL" "$cmd" --no-such-flag
done
"$UTIL" help rand >"$TMP/help" && grep -q "^Usage: dstack-util rand" "$TMP/help" || fail "help CMD is not CMD --help"
pass "help and usage errors"

assert_eq "$(printf 'abc\0\377' | "$UTIL" hex)" "61626300ff" "hex of stdin"
printf '\x01\x02' >"$TMP/in"
assert_eq "$("$UTIL" hex "$TMP/in")" "0102" "hex of a file"
assert_eq "$(printf '' | "$UTIL" hex)" "" "hex of nothing"
expect_error "Failed to open $TMP/missing" "$UTIL" hex "$TMP/missing"
expect_exit 2 "$UTIL" hex a b
pass "hex"

assert_eq "$("$UTIL" rand | wc -c)" "20" "default rand length"
assert_eq "$("$UTIL" rand -n 7 -x | tr -d 0-9a-f | wc -c)" "0" "rand -x is lowercase hex"
assert_eq "$("$UTIL" rand -n 7 -x | wc -c)" "14" "rand -x length"
assert_eq "$("$UTIL" rand -n 0 | wc -c)" "0" "rand -n 0"
[ "$("$UTIL" rand -n 32 -x)" != "$("$UTIL" rand -n 32 -x)" ] || fail "two rand outputs are equal"
"$UTIL" rand -n 2 -o="$TMP/eq"
[ -f "$TMP/eq" ] && [ ! -e "$TMP/=$TMP/eq" ] || fail "-o=FILE is not FILE, as clap reads it"
"$UTIL" rand -n 33 -o "$TMP/key"
assert_eq "$(stat -c '%a %s' "$TMP/key")" "600 33" "rand -o mode and size"
expect_exit 2 "$UTIL" rand -n -1
expect_exit 2 "$UTIL" rand -n 12x
expect_exit 2 "$UTIL" rand -n 99999999999
expect_error "Failed to generate random bytes" "$UTIL" rand -o "$TMP/no/such/dir/key"
[ -z "$(ls "$TMP/no" 2>/dev/null)" ] || fail "rand left a partial file"
pass "rand"

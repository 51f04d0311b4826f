#include "compose/scalar.h"

#include <stdbool.h>
#include <string.h>
#include <strings.h>

static bool text_is(const char *s, size_t len, const char *word)
{
	return strlen(word) == len && memcmp(s, word, len) == 0;
}

static bool text_is_any(const char *s, size_t len, const char *const *words)
{
	for (; *words; words++)
		if (text_is(s, len, *words))
			return true;
	return false;
}

int ds_yaml_plain_is_null(const char *s, size_t len)
{
	static const char *const nulls[] = { "", "~", "null", "Null", "NULL", NULL };

	return text_is_any(s, len, nulls);
}

static bool is_bool(const char *s, size_t len)
{
	static const char *const bools[] = { "true", "True", "TRUE", "false", "False", "FALSE", NULL };

	return text_is_any(s, len, bools);
}

/* Digits of the given base, with `_` separators as YAML 1.1 allows; at
 * least one digit. Returns the number of bytes consumed. */
static size_t digits(const char *s, size_t len, int base, bool *any)
{
	static const char hex[] = "0123456789abcdefABCDEF";
	size_t i = 0;

	*any = false;
	for (; i < len; i++) {
		const char *d = memchr(hex, s[i], base == 16 ? 22 : (size_t)base);

		if (s[i] == '_')
			continue;
		if (!d)
			break;
		*any = true;
	}
	return i;
}

static bool is_prefixed_int(const char *s, size_t len)
{
	static const struct { char letter; int base; } forms[] = { { 'x', 16 }, { 'o', 8 }, { 'b', 2 } };
	bool any;

	if (len < 3 || s[0] != '0')
		return false;
	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++)
		if ((s[1] | 0x20) == forms[i].letter)
			return digits(s + 2, len - 2, forms[i].base, &any) == len - 2 && any;
	return false;
}

/* `.inf`, `inf`, `infinity`, `.nan`, `nan` in any case (Rust's float parser
 * takes the bare words, YAML the dotted ones). */
static bool is_special_float(const char *s, size_t len)
{
	static const char *const words[] = { "inf", "infinity", "nan", NULL };

	if (len && s[0] == '.') {
		s++;
		len--;
	}
	for (const char *const *w = words; *w; w++)
		if (strlen(*w) == len && strncasecmp(s, *w, len) == 0)
			return true;
	return false;
}

/* [digits][.digits][(e|E)[+-]digits] with at least one mantissa digit. */
static bool is_decimal(const char *s, size_t len)
{
	bool int_digits, frac_digits = false, exp_digits;
	size_t i = digits(s, len, 10, &int_digits);

	if (i < len && s[i] == '.') {
		i++;
		i += digits(s + i, len - i, 10, &frac_digits);
	}
	if (!int_digits && !frac_digits)
		return false;
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < len && (s[i] == '+' || s[i] == '-'))
			i++;
		i += digits(s + i, len - i, 10, &exp_digits);
		if (!exp_digits)
			return false;
	}
	return i == len;
}

static bool is_number(const char *s, size_t len)
{
	if (len && (s[0] == '+' || s[0] == '-')) {
		s++;
		len--;
	}
	return is_prefixed_int(s, len) || is_special_float(s, len) || is_decimal(s, len);
}

int ds_yaml_plain_is_string(const char *s, size_t len)
{
	return !ds_yaml_plain_is_null(s, len) && !is_bool(s, len) && !is_number(s, len);
}

/* match.h - output matchers: exact, prefix, contains, PCRE2 regex, with optional
 * newline normalisation. A matcher owns its text and compiled pattern. */
#ifndef WM_MATCH_H
#define WM_MATCH_H

#include <stdbool.h>
#include <stddef.h>

enum match_kind { MATCH_ANY, MATCH_EXACT, MATCH_PREFIX, MATCH_CONTAINS, MATCH_REGEX };

struct matcher {
	enum match_kind kind;
	char *text;
	size_t len;
	bool normalize_newlines;
	void *re;		/* pcre2_code_8 * for MATCH_REGEX */
};

const char *match_kind_name(enum match_kind k);
/* Compiles a regex matcher. On error returns false and fills errmsg (malloc'd) and
 * *erroff (byte offset in the pattern). */
bool match_compile(struct matcher *m, char **errmsg, size_t *erroff);
/* 'truncated' output never passes an exact matcher. */
bool match_test(const struct matcher *m, const char *s, size_t n, bool truncated);
void match_release(struct matcher *m);

/* Standalone regex helpers (for adapters): compile/free/search. */
void *match_regex_compile(const char *pat, char **errmsg, size_t *erroff);
void match_regex_free(void *re);
/* Returns true on a match; if cap1 is non-NULL stores a malloc'd copy of group 1. */
bool match_regex_search(void *re, const char *s, size_t n, char **cap1);
/* Returns true on a match and stores where the whole match starts and ends. */
bool match_regex_find(void *re, const char *s, size_t n, size_t *start, size_t *end);

#endif
